import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Finds the samples just outside the read range that the counter math needs after a long scrape
/// outage: for a counter silent through the whole lookback but seen again after it, its last
/// sample before the lookback, however old (back to the oldest data the backend holds); for a
/// counter seen in the period but silent through the whole lookahead, its first sample after it
/// (up to now). So a counter resuming after any outage continues from its old value (the
/// increase shared by time across the gap, or a reset seen as one) instead of counting from zero,
/// and every period the outage touches gets its share. A counter is a series or, for a relabelled
/// target, the series it continues (``CounterContinuation/counter(_:)``).
///
/// The lookback holds the samples in `(lookback start, period start]`, the lookahead those in
/// `(period end, read end]`. The index (`/api/v1/series`, cheap) lists which counters exist on
/// both sides of the silent stretch; then, one ``QueryPlan/farEdgeSeconds`` window at a time going away from the read range,
/// `last_over_time` over the window says which of the counters looked for it holds, and only
/// those series are read raw, one at a time. The search stops when every counter was found, at
/// now, or (going back) at a window in which the counter has no series at all: the backend's data
/// (or a total outage longer than a window) starts there.
struct FarEdgeProbe {
    let client: any MetricsBackend
    let plan: QueryPlan
    /// Labels an index lookup the backend refuses for too many series is split by (``SeriesLookup``).
    var splitLabels: [String] = []

    /// At most this many windows each way (about five years of weekly windows).
    static let maxWindows = 261

    /// The samples found (labels and sample per series: before the lookback, and after the
    /// lookahead), the queries run, and `absent`: no series of `selector` has a sample in the read
    /// range or after it (neither the lookback nor the index from the period start to now lists one),
    /// so its summaries and raw samples need not be asked for.
    ///
    /// `lookback` is what the lookback holds: each series' samples (from the same
    /// `count_over_time`), the sample rate the summaries plan weighs itself against.
    func samples(metric: String, selector: String, now: Date) async throws
        -> (
            before: [([String: String], (Int64, Double))], after: [([String: String], (Int64, Double))],
            records: [QueryRecord], absent: Bool, lookback: [Int]
        )
    {
        let readStart = Date(millis: plan.grid.startMillis)
        let readEnd = Date(millis: plan.grid.endMillis)
        let start = plan.period.start
        let end = plan.period.end
        var records: [QueryRecord] = []
        let farthest = readStart.addingTimeInterval(-TimeInterval(QueryPlan.farEdgeSeconds * Self.maxWindows))
        // Going back: counters the index lists both before the lookback and after its start (up to
        // now: a series silent through the whole read range too), none of whose series has a sample in it.
        var held: [Int] = []
        let lookback = try await counters(selector, over: readStart, to: start, records: &records, held: &held)
        let older = try await listed(selector, from: farthest, to: readStart, backToData: true, records: &records)
        // Only asked when it can matter: for a counter listed before the lookback that the lookback
        // lacks, or to tell a metric absent from the read range.
        let missing = older.subtracting(lookback)
        let later =
            lookback.isEmpty || !missing.isEmpty
            ? try await listed(selector, from: start, to: max(now, readEnd), records: &records) : []
        let before = try await search(
            metric: metric, selector: selector, wanted: missing.intersection(later),
            from: readStart, step: -1, until: nil, records: &records)
        // Going forward: counters listed both up to the period end and after the read range, none
        // of whose series has a sample in the lookahead.
        var after: [([String: String], (Int64, Double))] = []
        if readEnd < now, readEnd > end {
            var ahead: [Int] = []
            let lookahead = try await counters(selector, over: end, to: readEnd, records: &records, held: &ahead)
            let silent = try await listed(selector, from: readEnd, to: now, records: &records).subtracting(lookahead)
            // The index up to the period end is asked only for counters the lookback's side did not list.
            let earlier =
                silent.isSubset(of: older)
                ? [] : try await listed(selector, from: readStart, to: end, records: &records)
            let wanted = silent.intersection(older.union(earlier))
            after = try await search(
                metric: metric, selector: selector, wanted: wanted, from: readEnd,
                step: 1, until: now, records: &records)
        }
        return (before, after, records, lookback.isEmpty && later.isEmpty, held)
    }

    /// The counters with a sample in `(from, to]`; `held` gets each series' samples there.
    private func counters(
        _ selector: String, over from: Date, to: Date, records: inout [QueryRecord],
        held: inout [Int]
    ) async throws -> Set<String> {
        let range = "[\(max(1, to.millis - from.millis - 1))ms]"
        let promql = "count_over_time(\(selector)\(range))"
        let answer = try await client.query(promql, at: to)
        records.append(Self.record(promql, to, answer))
        held = answer.series.map { Int(min(max($0.samples.last?.1 ?? 0, 0), 1e12)) }
        return Set(answer.series.map { CounterContinuation.counter($0.labels.filter { $0.key != "__name__" }) })
    }

    /// The counters of the series the index lists in `[from, to]`. On VictoriaMetrics a range
    /// longer than ``BackendKind/indexWindowSeconds`` is asked window by window from `to` back (its
    /// global index would list every series it ever held); with `backToData`, the walk stops at the
    /// first window that lists nothing (where the backend's data starts).
    private func listed(
        _ selector: String, from: Date, to: Date, backToData: Bool = false, records: inout [QueryRecord]
    ) async throws -> Set<String> {
        let window = TimeInterval(BackendKind.indexWindowSeconds)
        var counters = Set<String>()
        var end = to
        repeat {
            let start = client.isVictoriaMetrics ? max(from, end.addingTimeInterval(-window)) : from
            var requests = 0
            let series = try await SeriesLookup(client: client, splitLabels: splitLabels).series(
                selector, start: start, end: end, requests: &requests)
            records.append(
                QueryRecord(
                    endpoint: "/api/v1/series", promql: selector, time: end, windowStart: start, windowEnd: end,
                    series: series.count, samples: 0))
            counters.formUnion(series.map { CounterContinuation.counter($0.filter { $0.key != "__name__" }) })
            if series.isEmpty && backToData { break }
            end = start
        } while end > from
        return counters
    }

    /// Steps window by window away from `from` (`step` −1: back, +1: forward, up to `until`) and
    /// reads the sample nearest `from` of each series of a `wanted` counter in the first window
    /// holding that counter.
    private func search(
        metric: String, selector: String, wanted: Set<String>, from: Date, step: Int, until: Date?,
        records: inout [QueryRecord]
    ) async throws -> [([String: String], (Int64, Double))] {
        var pending = wanted
        var found: [([String: String], (Int64, Double))] = []
        let window = TimeInterval(QueryPlan.farEdgeSeconds)
        let range = "[\(QueryPlan.farEdgeSeconds * 1000)ms]"
        for index in 0..<Self.maxWindows where !pending.isEmpty {
            // Going back a window ends at `from` − k windows; going forward it ends k + 1 windows after `from`.
            let at = from.addingTimeInterval(step < 0 ? -window * Double(index) : window * Double(index + 1))
            if let until, at.addingTimeInterval(-window) >= until { break }
            let promql = "last_over_time(\(selector)\(range))"
            let seen = try await client.query(promql, at: at)
            records.append(Self.record(promql, at, seen))
            if seen.series.isEmpty && step < 0 { break }
            var hit = Set<String>()
            for series in seen.series.sorted(by: {
                UsageAccumulator.identity($0.labels) < UsageAccumulator.identity($1.labels)
            }) {
                let labels = series.labels.filter { $0.key != "__name__" }
                let counter = CounterContinuation.counter(labels)
                guard pending.contains(counter) else { continue }
                let exact = metric + PromQLLiteral.labelSet(labels)
                let raw = try await client.query(exact + range, at: at)
                records.append(Self.record(exact + range, at, raw))
                let identity = UsageAccumulator.identity(labels)
                let samples = raw.series.first { UsageAccumulator.identity($0.labels) == identity }?.samples ?? []
                // Going forward, only what lies after the read range (the window may start inside it).
                let nearest = step < 0 ? samples.last : samples.first { $0.0 > from.millis }
                if let nearest {
                    found.append((labels, nearest))
                    hit.insert(counter)
                }
            }
            pending.subtract(hit)
        }
        return found
    }

    private static func record(_ promql: String, _ time: Date, _ result: QueryResult) -> QueryRecord {
        QueryRecord(
            endpoint: "/api/v1/query", promql: promql, time: time, windowStart: nil, windowEnd: nil,
            series: result.series.count, samples: result.series.reduce(0) { $0 + $1.samples.count })
    }
}
