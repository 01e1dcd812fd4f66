import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Fetches the hourly summaries of one counter (``QueryPlan/summaryQueries(_:hoursPerQuery:combined:)``)
/// into one ``SeriesHours`` per series.
struct SummaryReader {
    let client: any MetricsBackend
    let grid: SummaryGrid

    /// A backend answered at other times than the hour ends asked for (it aligned or shifted the
    /// evaluation times), or a combined answer's series names no function, so the summaries cannot
    /// be placed on the grid.
    struct OffGrid: Error {
        let promql: String
        var how = "off the hour grid"
    }

    /// - Parameter done: called per query, in order, with its record and warnings.
    func read(_ queries: [SummaryQuery], done: (QueryRecord, [String]) -> Void) async throws -> [String: SeriesHours] {
        var hours: [String: SeriesHours] = [:]
        let client = self.client
        let grid = self.grid
        try await orderedFetch(count: queries.count, width: client.settings.concurrency) { index in
            let query = queries[index]
            return try await client.queryRange(
                query.promql, start: Date(millis: grid.hourEndMillis(query.firstHour)),
                end: Date(millis: grid.hourEndMillis(query.lastHour)), stepSeconds: Int(Hour.seconds))
        } ingest: { index, result in
            let query = queries[index]
            var points = 0
            // A combined answer names each series' function in a label that is not the series' own.
            let own: ((String) -> Bool)? = query.function == nil ? { $0 != SummaryQuery.rollupLabel } : nil
            for series in result.series {
                let function = try query.function ?? Self.function(in: series.labels, of: query)
                // Looked up once, not once per point, and changed in place.
                let identity = UsageAccumulator.identity(series.labels, keeping: own)
                let entry =
                    hours.index(forKey: identity)
                    ?? hours.insert(
                        identity,
                        SeriesHours(
                            labels: series.labels.filter { $0.key != "__name__" && own?($0.key) != false },
                            hours: grid.hourCount))
                for (millis, value) in series.samples {
                    let offset = millis - grid.startMillis
                    let hour = Int(offset / Hour.millis) - 1
                    guard offset % Hour.millis == 0, (query.firstHour...query.lastHour).contains(hour) else {
                        throw OffGrid(promql: query.promql)
                    }
                    points += 1
                    switch function {
                    case .count: hours.values[entry].count[hour] = Self.tally(value)
                    case .last: hours.values[entry].last[hour] = value
                    case .minimum: hours.values[entry].minimum[hour] = value
                    case .resets: hours.values[entry].resets[hour] = Self.tally(value)
                    }
                }
            }
            done(
                QueryRecord(
                    endpoint: "/api/v1/query_range", promql: query.promql,
                    time: Date(millis: grid.hourEndMillis(query.lastHour)),
                    windowStart: Date(millis: grid.hourStartMillis(query.firstHour)),
                    windowEnd: Date(millis: grid.hourEndMillis(query.lastHour)),
                    series: result.series.count, samples: points), result.warnings)
        }
        return hours
    }

    /// The function a combined query's series holds (its ``SummaryQuery/rollupLabel``).
    static func function(in labels: [String: String], of query: SummaryQuery) throws -> SummaryQuery.Function {
        guard let name = labels[SummaryQuery.rollupLabel],
            let function = SummaryQuery.Function(rawValue: name)
        else {
            throw OffGrid(promql: query.promql, how: "without a `\(SummaryQuery.rollupLabel)` label naming a function")
        }
        return function
    }

    /// A count as the server sent it, or -1 (never a regular hour) for a value no count can be.
    static func tally(_ value: Double) -> Int32 {
        value >= 0 && value < 2e9 && value == value.rounded() ? Int32(value) : -1
    }

}

extension Dictionary {
    /// Adds `value` under a new `key` and returns where it is.
    fileprivate mutating func insert(_ key: Key, _ value: Value) -> Index {
        self[key] = value
        return index(forKey: key)!
    }
}
