import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// Whether the hourly summaries can cost fewer points than the raw samples they stand for.
///
/// The summaries return one point per function (``SummaryQuery/Function``) per series and hour
/// with samples; the raw plan returns every sample. From the series and samples the lookback
/// holds (the ``FarEdgeProbe``'s `count_over_time`), the summaries are read only when a series
/// holds at least twice as many samples per hour as they return, so that they and the raw stretches
/// still needed (at most the samples of the chunks they fall in, ``RawSpans``) stay below every
/// sample; a counter scraped less often is read raw. With nothing in the lookback the summaries
/// are tried, as nothing says what the raw plan would cost.
enum PlanChoice {
    static func summariesPay(lookbackSeries: Int, lookbackSamples: Int, lookbackHours: Double) -> Bool {
        guard lookbackSeries > 0, lookbackSamples > 0, lookbackHours > 0 else { return true }
        let perSeriesHour = Double(lookbackSamples) / (Double(lookbackSeries) * lookbackHours)
        return perSeriesHour >= 2 * Double(SummaryQuery.Function.allCases.count)
    }
}
