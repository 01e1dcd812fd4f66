import ChargebackModel
import Foundation

/// Looks after the period for counters first scraped after it on gateways the period never saw
/// (``LateStart``): a gateway serving all along whose monitoring came later (a new pod of a gateway
/// the period saw is a rollout after it, not a past). One `count_over_time` over the 35 days after
/// the period, its selector excluding the gateways the period saw, names the series of others; per
/// such target, `count_over_time` over whole windows, then halves of the window, finds the hour of
/// its first sample, and one raw read from there gives each first value and the rate after it. A
/// period that saw no sample at all takes a first value as a past only if the backend held samples
/// before it (else the data starts there: a baseline). An ordinary period costs the one query,
/// which the backend answers from its index and the few series left.
struct FirstScrapeAfterPeriod {
    let client: any MetricsBackend
    let plan: QueryPlan

    /// How far after the period a first scrape is looked for (five far-edge windows: 35 days).
    static let horizonSeconds = 5 * QueryPlan.farEdgeSeconds
    /// How much of the series after its first sample is read for its rate.
    static let evidenceMillis: Int64 = 3 * Hour.millis

    /// The first values, found after the period, of counters on gateways with no sample in the
    /// period, and the queries made.
    func firstValues(
        selector: String, dimensions: UsageDimensions, gapFactor: Double, sampled: UsageAccumulator.Sampled,
        now: Date
    ) async throws -> ([LateStart.FirstValue], [QueryRecord]) {
        let end = plan.period.end
        let horizon = min(now, end.addingTimeInterval(TimeInterval(Self.horizonSeconds)))
        guard horizon > end else { return ([], []) }
        var records: [QueryRecord] = []
        var others = selector
        if !sampled.gateways.isEmpty {
            let alternation = PromQLLiteral.alternation(sampled.gateways.sorted().map(PromQLLiteral.literalRegex))
            others = RawSpans.adding(dimensions.labels.gateway + "!~" + PromQLLiteral.string(alternation), to: others)
        }
        let promql = "count_over_time(\(others)[\(horizon.millis - end.millis)ms])"
        let listed = try await client.query(promql, at: horizon)
        records.append(Self.record(promql, horizon, listed))
        var targets: [String: String] = [:]
        for series in listed.series {
            let labels = series.labels.filter { $0.key != "__name__" }
            let target = UsageAccumulator.target(labels, dimensions)
            guard !sampled.series.contains(UsageAccumulator.identity(labels)), !sampled.targets.contains(target),
                !sampled.gateways.contains(labels[dimensions.labels.gateway] ?? ""),
                let matchers = Self.targetMatchers(labels, dimensions)
            else { continue }
            targets[target] = matchers
        }
        var firsts: [LateStart.FirstValue] = []
        for (_, matchers) in targets.sorted(by: { $0.key < $1.key }) {
            let targetSelector = RawSpans.adding(matchers, to: selector)
            guard
                let window = try await firstHour(
                    targetSelector, after: end, until: horizon, records: &records)
            else { continue }
            let readEnd = min(now, window.upperBound.addingTimeInterval(TimeInterval(Self.evidenceMillis) / 1000))
            let range = "[\(readEnd.millis - window.lowerBound.millis)ms]"
            let raw = try await client.query(targetSelector + range, at: readEnd)
            records.append(Self.record(targetSelector + range, readEnd, raw))
            let series = raw.series.map { ($0.labels.filter { $0.key != "__name__" }, $0.samples) }
            let found = LateStart.firstValues(ofTarget: series, gapFactor: gapFactor)
                .filter { !sampled.series.contains($0.identity) }
            guard let first = found.first else { continue }
            if sampled.series.isEmpty {
                guard try await hasData(selector, after: end, before: first, records: &records) else { continue }
            }
            firsts += found
        }
        return (firsts, records)
    }

    /// Whether any series of `selector` has a sample after `after` and before `first`'s target was
    /// first scraped: without one the backend's data starts with that target, and its first values
    /// are baselines as at the edge of the data (docs/numbers.md), not a past to share.
    private func hasData(
        _ selector: String, after: Date, before first: LateStart.FirstValue, records: inout [QueryRecord]
    ) async throws -> Bool {
        let at = Date(millis: first.millis - first.slackMillis)
        guard at > after else { return false }
        let promql = "count_over_time(\(selector)[\(at.millis - after.millis)ms])"
        let answer = try await client.query(promql, at: at)
        records.append(Self.record(promql, at, answer))
        return !answer.series.isEmpty
    }

    /// `(from, to]` of at most an hour holding the target's first sample after `after`: the first
    /// far-edge window with a sample, then halves of it.
    private func firstHour(_ selector: String, after: Date, until: Date, records: inout [QueryRecord])
        async throws -> ClosedRange<Date>?
    {
        func holdsSample(_ from: Date, _ to: Date) async throws -> Bool {
            let promql = "count_over_time(\(selector)[\(max(1, to.millis - from.millis))ms])"
            let answer = try await client.query(promql, at: to)
            records.append(Self.record(promql, to, answer))
            return !answer.series.isEmpty
        }
        var low = after
        var high: Date?
        while low < until {
            let next = min(until, low.addingTimeInterval(TimeInterval(QueryPlan.farEdgeSeconds)))
            if try await holdsSample(low, next) {
                high = next
                break
            }
            low = next
        }
        guard var high else { return nil }
        while high.timeIntervalSince(low) > TimeInterval(Hour.millis / 1000) {
            let middle = Date(millis: low.millis + (high.millis - low.millis) / 2)
            if try await holdsSample(low, middle) { high = middle } else { low = middle }
        }
        return low...high
    }

    /// Matchers selecting one target's series: its gateway and its pod (or instance).
    static func targetMatchers(_ labels: [String: String], _ dimensions: UsageDimensions) -> String? {
        var matchers: [String] = []
        for name in [dimensions.labels.gateway, labels["pod"] != nil ? "pod" : "instance"] {
            guard let value = labels[name], !value.isEmpty else { continue }
            matchers.append(name + "=" + PromQLLiteral.string(value))
        }
        return matchers.isEmpty ? nil : matchers.joined(separator: ",")
    }

    private static func record(_ promql: String, _ time: Date, _ result: QueryResult) -> QueryRecord {
        QueryRecord(
            endpoint: "/api/v1/query", promql: promql, time: time, windowStart: nil, windowEnd: nil,
            series: result.series.count, samples: result.series.reduce(0) { $0 + $1.samples.count })
    }
}
