import Foundation

/// Finds, for the series silent through the whole lookback, their last sample before it (up to
/// ``QueryPlan/farEdgeSeconds`` earlier), so that a counter resuming after a long scrape gap
/// continues from its old value (the increase shared by time across the gap, or a reset seen as
/// one) instead of counting from zero as a new series.
///
/// Two cheap instant queries find the candidates (`last_over_time` over the far window, minus
/// the series with a sample in the lookback); only those are read raw, one series at a time.
struct FarEdgeProbe {
    let client: PrometheusClient
    let plan: QueryPlan

    /// (labels, last sample before the lookback) per candidate series, and the queries run.
    func samples(metric: String, selector: String) async throws -> (found: [([String: String], (Int64, Double))],
                                                                      records: [QueryRecord]) {
        let lookbackStart = Date(millis: plan.grid.startMillis)
        let farRange = "[\(QueryPlan.farEdgeSeconds * 1000)ms]"
        let lookbackRange = "[\(plan.buckets.startMillis - plan.grid.startMillis)ms]"
        let before = "last_over_time(\(selector)\(farRange))"
        let within = "count_over_time(\(selector)\(lookbackRange))"
        let beforeTime = lookbackStart.addingTimeInterval(-0.001)
        let withinTime = plan.period.start.addingTimeInterval(-0.001)
        async let beforeAnswer = client.query(before, at: beforeTime)
        async let withinAnswer = client.query(within, at: withinTime)
        let (seenBefore, seenWithin) = try await (beforeAnswer, withinAnswer)
        var records = [Self.record(before, beforeTime, seenBefore), Self.record(within, withinTime, seenWithin)]
        let inLookback = Set(seenWithin.series.map { UsageAccumulator.identity($0.labels) })
        var found: [([String: String], (Int64, Double))] = []
        for series in seenBefore.series where !inLookback.contains(UsageAccumulator.identity(series.labels)) {
            let labels = series.labels.filter { $0.key != "__name__" }
            let exact = metric + PromQLLiteral.labelSet(labels)
            let raw = try await client.query(exact + farRange, at: beforeTime)
            records.append(Self.record(exact + farRange, beforeTime, raw))
            let identity = UsageAccumulator.identity(labels)
            if let last = raw.series.first(where: { UsageAccumulator.identity($0.labels) == identity })?.samples.last {
                found.append((labels, last))
            }
        }
        return (found, records)
    }

    private static func record(_ promql: String, _ time: Date, _ result: QueryResult) -> QueryRecord {
        QueryRecord(endpoint: "/api/v1/query", promql: promql, time: time, windowStart: nil, windowEnd: nil,
                    series: result.series.count, samples: result.series.reduce(0) { $0 + $1.samples.count })
    }

}
