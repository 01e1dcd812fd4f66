import Foundation

/// Finds, for the series silent through the whole lookback but seen again after it, their last
/// sample before it, however old (back to the oldest data the backend holds), so that a counter
/// resuming after a long scrape outage continues from its old value (the increase shared by time
/// across the gap, or a reset seen as one) instead of counting from zero as a new series.
///
/// The lookback holds the samples in `(lookback start, period start]`. The series read after the
/// lookback (`/api/v1/series`, from the index) minus those with a sample in it are the ones to
/// look for; then, one ``QueryPlan/farEdgeSeconds`` window at a time going back,
/// `last_over_time` over the window says which of them it holds, and only those are read raw,
/// one series at a time. The search stops when every one was found, or at a window in which the
/// counter has no series at all: the backend's data (or a total outage longer than a window) starts there.
struct FarEdgeProbe {
    let client: PrometheusClient
    let plan: QueryPlan

    /// At most this many windows back (about five years of weekly windows).
    static let maxWindows = 261

    /// (labels, last sample before the lookback) per series found, and the queries run.
    func samples(metric: String, selector: String) async throws -> (found: [([String: String], (Int64, Double))],
                                                                      records: [QueryRecord]) {
        let lookbackStart = Date(millis: plan.grid.startMillis)
        let readEnd = Date(millis: plan.grid.endMillis)
        var records: [QueryRecord] = []
        guard readEnd > plan.period.start else { return ([], []) }
        let lookbackRange = "[\(max(1, plan.buckets.startMillis - plan.grid.startMillis - 1))ms]"
        let within = "count_over_time(\(selector)\(lookbackRange))"
        async let laterAnswer = client.series(selector, start: plan.period.start, end: readEnd)
        async let withinAnswer = client.query(within, at: plan.period.start)
        let (later, seenWithin) = try await (laterAnswer, withinAnswer)
        records.append(QueryRecord(endpoint: "/api/v1/series", promql: selector, time: readEnd, windowStart: plan.period.start,
                                   windowEnd: readEnd, series: later.count, samples: 0))
        records.append(Self.record(within, plan.period.start, seenWithin))
        let inLookback = Set(seenWithin.series.map { UsageAccumulator.identity($0.labels) })
        var pending = Set(later.map { UsageAccumulator.identity($0) }).subtracting(inLookback)
        let farRange = "[\(QueryPlan.farEdgeSeconds * 1000)ms]"
        var found: [([String: String], (Int64, Double))] = []
        var at = lookbackStart
        for _ in 0..<Self.maxWindows where !pending.isEmpty {
            let before = "last_over_time(\(selector)\(farRange))"
            let seen = try await client.query(before, at: at)
            records.append(Self.record(before, at, seen))
            if seen.series.isEmpty { break }
            for series in seen.series where pending.contains(UsageAccumulator.identity(series.labels)) {
                let labels = series.labels.filter { $0.key != "__name__" }
                let exact = metric + PromQLLiteral.labelSet(labels)
                let raw = try await client.query(exact + farRange, at: at)
                records.append(Self.record(exact + farRange, at, raw))
                let identity = UsageAccumulator.identity(labels)
                if let last = raw.series.first(where: { UsageAccumulator.identity($0.labels) == identity })?.samples.last {
                    found.append((labels, last))
                    pending.remove(identity)
                }
            }
            at = at.addingTimeInterval(-TimeInterval(QueryPlan.farEdgeSeconds))
        }
        return (found.sorted { UsageAccumulator.identity($0.0) < UsageAccumulator.identity($1.0) }, records)
    }

    private static func record(_ promql: String, _ time: Date, _ result: QueryResult) -> QueryRecord {
        QueryRecord(endpoint: "/api/v1/query", promql: promql, time: time, windowStart: nil, windowEnd: nil,
                    series: result.series.count, samples: result.series.reduce(0) { $0 + $1.samples.count })
    }

}
