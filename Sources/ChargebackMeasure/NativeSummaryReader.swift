import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The hourly summaries of a native histogram, as ``SeriesHours`` for ``RunPlanner``, from what
/// Prometheus 2.42 computes exactly on native samples.
///
/// 2.42's `last_over_time`, `min_over_time` and `resets` read only the float part of a sample (0 for
/// a native one), so per hour end `T` of the grid, one `query_range` per week each:
/// - `count_over_time(h[3599999ms])`: the hour's samples (it counts native samples);
/// - `histogram_sum(h)`: the last sample's `sum` at or before `T` (an instant selector, so exactly
///   the hour's last sample when the hour has one: the lookback of 5 minutes outlasts any scrape
///   interval; an hour whose last sample it cannot see is irregular);
/// - `histogram_count(increase(h[7199999ms])) - histogram_count(delta(h[7199999ms]))`: over this
///   hour and the one before, `increase` adds back the count before every reset the native rules
///   detect (a count or bucket that went down) and `delta` does not, with the same extrapolation,
///   so the difference is exactly 0 without a reset and above 0 with one.
///
/// An hour without a reset over those two hours takes the last value of the hour before as its
/// smallest (no sample of it can lie below it); an hour with one, or without an answer, is
/// irregular and read raw.
struct NativeSummaryReader {
    let client: any MetricsBackend
    let grid: SummaryGrid
    /// Summarise the observation `count` (`histogram_count`, the requests) instead of the `sum`.
    var countsObservations = false

    enum Part: CaseIterable {
        case count, last, resets
    }

    /// The queries over grid hours `first...last`.
    static func queries(_ selector: String, countsObservations: Bool = false) -> [(Part, String)] {
        [
            (.count, "count_over_time(\(selector)[3599999ms])"),
            (.last, "\(countsObservations ? "histogram_count" : "histogram_sum")(\(selector))"),
            (
                .resets,
                "histogram_count(increase(\(selector)[7199999ms])) - histogram_count(delta(\(selector)[7199999ms]))"
            ),
        ]
    }

    /// Reads the summaries of `selector`; `done` is called per query with its record and warnings.
    func read(_ selector: String, hoursPerQuery: Int = 168, done: (QueryRecord, [String]) -> Void) async throws
        -> [String: SeriesHours]
    {
        var stretches: [(Int, Int)] = []
        var first = 0
        while first < grid.hourCount {
            let last = min(first + hoursPerQuery, grid.hourCount) - 1
            stretches.append((first, last))
            first = last + 1
        }
        let queries = stretches.flatMap { stretch in
            Self.queries(selector, countsObservations: countsObservations).map { (stretch, $0.0, $0.1) }
        }
        var hours: [String: SeriesHours] = [:]
        var resetFree: [String: [Bool?]] = [:]
        let client = self.client
        let grid = self.grid
        try await orderedFetch(count: queries.count, width: client.settings.concurrency) { index in
            let (stretch, _, promql) = queries[index]
            return try await client.queryRange(
                promql, start: Date(millis: grid.hourEndMillis(stretch.0)),
                end: Date(millis: grid.hourEndMillis(stretch.1)), stepSeconds: 3600)
        } ingest: { index, result in
            let (stretch, part, promql) = queries[index]
            var points = 0
            for series in result.series {
                // Taken out and put back, so the series is looked up once, not once per point.
                let labels = series.labels.filter { $0.key != "__name__" }
                let identity = UsageAccumulator.identity(labels)
                var entry = hours.removeValue(forKey: identity) ?? SeriesHours(labels: labels, hours: grid.hourCount)
                var free = resetFree.removeValue(forKey: identity) ?? Array(repeating: nil, count: grid.hourCount)
                for (millis, value) in series.samples {
                    let offset = millis - grid.startMillis
                    let hour = Int(offset / 3_600_000) - 1
                    guard offset % 3_600_000 == 0, (stretch.0...stretch.1).contains(hour) else {
                        throw SummaryReader.OffGrid(promql: promql)
                    }
                    points += 1
                    switch part {
                    case .count: entry.count[hour] = SummaryReader.tally(value)
                    case .last: entry.last[hour] = value
                    case .resets: free[hour] = value == 0
                    }
                }
                hours[identity] = entry
                resetFree[identity] = free
            }
            done(
                QueryRecord(
                    endpoint: "/api/v1/query_range", promql: promql, time: Date(millis: grid.hourEndMillis(stretch.1)),
                    windowStart: Date(millis: grid.hourStartMillis(stretch.0)),
                    windowEnd: Date(millis: grid.hourEndMillis(stretch.1)), series: result.series.count,
                    samples: points), result.warnings)
        }
        for identity in hours.keys {
            Self.settleResets(&hours[identity]!, resetFree: resetFree[identity]!)
        }
        return hours
    }

    /// Fills `resets` and `minimum` from the reset test: an hour with samples and a test of 0 has no
    /// reset and its smallest value is the previous hour's last (its own last in the grid's first
    /// hour); any other hour with samples has a reset as far as the planner knows.
    static func settleResets(_ series: inout SeriesHours, resetFree: [Bool?]) {
        for hour in series.count.indices where series.count[hour] != 0 {
            guard resetFree[hour] == true else {
                series.resets[hour] = 1
                continue
            }
            series.resets[hour] = 0
            series.minimum[hour] = hour == 0 ? series.last[hour] : series.last[hour - 1]
        }
    }
}
