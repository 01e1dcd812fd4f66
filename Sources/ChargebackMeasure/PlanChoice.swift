import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// Whether the hourly summaries can cost fewer points than the raw samples they stand for.
///
/// The summaries return one point per function (``SummaryQuery/Function``) per series and hour
/// with samples; the raw plan returns every sample. A series' samples per hour is its scrape rate;
/// from each series' samples in the lookback (the ``FarEdgeProbe``'s `count_over_time`), the
/// rate of the upper quartile (series born or stopped inside the lookback count fewer samples, not
/// a slower scrape) must be at least twice the summaries' points per hour, so that they and the raw
/// stretches still needed (at most the samples of the chunks they fall in, ``RawSpans``) stay
/// below every sample; a counter scraped less often (every 7.5 minutes or slower) is read raw.
/// With nothing in the lookback the summaries are tried, as nothing says what raw would cost.
enum PlanChoice {
    static func summariesPay(lookbackCounts: [Int], lookbackHours: Double) -> Bool {
        guard !lookbackCounts.isEmpty, lookbackHours > 0 else { return true }
        let sorted = lookbackCounts.sorted()
        let upperQuartile = sorted[(sorted.count * 3) / 4]
        return Double(upperQuartile) / lookbackHours >= 2 * Double(SummaryQuery.Function.allCases.count)
    }
}
