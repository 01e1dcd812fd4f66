import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// A stretch `[from, to)` (ms) of one series to read sample by sample; the first stretch of a run
/// with a seed starts a new tracker from that seed. A grid hour's stretch is its samples,
/// `(hour start, hour end]`: `[start + 1 ms, end + 1 ms)`.
struct RawSpan: Sendable, Equatable {
    var from: Int64
    var to: Int64
    var beginsRun = false
    var seed: Double?
}

/// The raw samples the runs of every series need, the queries that fetch them, and the feeding of
/// what comes back to the accumulator in time order.
///
/// The range is cut into the plan's chunks; a chunk that many series need is one query for all
/// series (as the raw plan would ask), otherwise one query per series that needs it. Either way
/// only samples inside a series' spans are fed.
struct RawSpans {
    struct Wanted {
        let labels: [String: String]
        var spans: [RawSpan] = []
        /// Index of the first span not yet passed, and whether its run was begun.
        var cursor = 0
        var begun = false
    }

    /// One query: for every series (`series == nil`) or for one.
    struct Window: Sendable {
        let query: RawSampleQuery
        let series: String?
    }

    private(set) var wanted: [String: Wanted] = [:]
    /// Samples of series the summaries never saw are fed after this (the partial hour of a
    /// period not over yet), and ignored up to it.
    let newSeriesFrom: Int64?
    /// How many series the summaries saw: a chunk half of them need is read for all.
    let seriesCount: Int

    init(newSeriesFrom: Int64?, seriesCount: Int) {
        self.newSeriesFrom = newSeriesFrom
        self.seriesCount = seriesCount
    }

    /// The spans of `run`: its hours that hold samples (but a last hour that may settle,
    /// ``RunPlanner/Run/lastSettles``), plus the partial hour after the grid when the run reaches
    /// the grid's end. A run without seed is the series' first: it continues the tracker (fresh, or
    /// holding the far-edge sample) instead of starting a new one.
    mutating func add(_ run: RunPlanner.Run, of series: SeriesHours, identity: String, grid: SummaryGrid) {
        let last = min(run.lastSettles ? run.lastHour - 1 : run.lastHour, grid.hourCount - 1)
        var hours: [(Int64, Int64)] =
            run.firstHour <= last
            ? (run.firstHour...last).filter { series.count[$0] != 0 }
                .map { (grid.hourStartMillis($0) + 1, grid.hourEndMillis($0) + 1) }
            : []
        if run.lastHour >= grid.hourCount - 1, grid.tailStartMillis < grid.endMillis {
            hours.append((grid.tailStartMillis + 1, grid.endMillis + 1))
        }
        var spans: [RawSpan] = []
        for (from, to) in hours {
            if let previous = spans.last, previous.to >= from {
                spans[spans.count - 1].to = max(previous.to, to)
            } else {
                spans.append(RawSpan(from: from, to: to))
            }
        }
        guard !spans.isEmpty else { return }
        spans[0].beginsRun = run.seed != nil
        spans[0].seed = run.seed
        wanted[identity, default: Wanted(labels: series.labels)].spans += spans
    }

    /// The queries, in time order. Per chunk: one for every series when at least half of them need
    /// it, over the stretch of the chunk they need; otherwise the series that need it, grouped by
    /// their scrape target (`pod`, else `instance`: a missed scrape or a restart hits all series of
    /// a target at once) into one query per hour with a regular-expression matcher on that label,
    /// each hour for the series that need it (hours needed by the same series read together);
    /// series with neither label one by one.
    ///
    /// `allSeries` (the summaries of every series) narrows a target's query further: when a target
    /// exports many series and few need raw samples (a user's series being born among thousands),
    /// a second matcher on the label whose values among the needing series select the fewest of
    /// the target's series (e.g. `user_id`), so the query reads those, not the whole target.
    ///
    /// A chunk's queries never read more samples than the raw plan's query of that chunk: targets
    /// (and series without one) are disjoint, and each hour of a target is read at most once.
    /// By the series' hourly counts, a query estimated at more than `maxSamples` samples is split
    /// in time into parts within it (a backend's per-query sample limit).
    func windows(
        selector: String, metric: String, grid: SummaryGrid, chunkSeconds: Int, allSeries: [SeriesHours] = [],
        maxSamples: Int = RawSpans.maxSamplesPerQuery
    ) -> [Window] {
        var windows: [(window: Window, samples: Int)] = []
        // Per target label and value, where its series are in `allSeries` (not copies of them).
        var byTargetValue: [String: [Int]] = [:]
        for (index, series) in allSeries.enumerated() {
            if let label = Self.targetLabel(series.labels) {
                byTargetValue[label + "\u{0}" + series.labels[label]!, default: []].append(index)
            }
        }
        // Per target, how many of its series carry each label value (for ``narrower(_:counts:target:)``).
        var countsByTargetValue: [String: LabelCounts] = [:]
        func estimate(_ series: [SeriesHours], _ from: Int64, _ to: Int64) -> Int {
            series.reduce(0) { $0 + Self.samples(of: $1, from: from, to: to, grid: grid) }
        }
        // Chunks of samples `(a, b]`, evaluated at their ends, like the hours.
        let chunks = QueryPlan.rawQueries(
            selector, from: Date(millis: grid.startMillis + 1),
            to: Date(millis: grid.endMillis + 1), chunkSeconds: chunkSeconds)
        let identities = wanted.sorted { $0.key < $1.key }
        for chunk in chunks {
            let from = chunk.windowStart.millis
            let to = chunk.windowEnd.millis
            let needing = identities.compactMap { identity, series -> (String, Int64, Int64)? in
                guard let first = series.spans.first(where: { $0.from < to && $0.to > from }),
                    let last = series.spans.last(where: { $0.from < to && $0.to > from })
                else { return nil }
                return (identity, max(from, first.from), min(to, last.to))
            }
            let tailForNewSeries = newSeriesFrom.map { $0 < to } ?? false
            if needing.isEmpty && !tailForNewSeries { continue }
            if needing.count * 2 >= seriesCount || tailForNewSeries {
                // Every series, over the stretch of the chunk any of them needs (the whole chunk
                // when series first seen in the partial hour may come).
                let (start, end) =
                    tailForNewSeries ? (from, to) : (needing.map(\.1).min()!, needing.map(\.2).max()!)
                let query =
                    start == from && end == to
                    ? [chunk]
                    : QueryPlan.rawQueries(
                        selector, from: Date(millis: start), to: Date(millis: end), chunkSeconds: chunkSeconds)
                windows += query.map {
                    (window: Window(query: $0, series: nil), samples: estimate(allSeries, start, end))
                }
                continue
            }
            var targeted: [(window: Window, samples: Int)] = []
            var byTarget: [String: [(String, Int64, Int64)]] = [:]
            for item in needing {
                let wantedSeries = wanted[item.0]!
                guard let label = Self.targetLabel(wantedSeries.labels) else {
                    let exact = metric + PromQLLiteral.labelSet(wantedSeries.labels)
                    let own = allSeries.first { $0.labels == wantedSeries.labels }.map { [$0] } ?? []
                    targeted += QueryPlan.rawQueries(
                        exact, from: Date(millis: item.1), to: Date(millis: item.2),
                        chunkSeconds: chunkSeconds
                    ).map { (window: Window(query: $0, series: item.0), samples: estimate(own, item.1, item.2)) }
                    continue
                }
                byTarget[label, default: []].append(item)
            }
            for (label, targetItems) in byTarget.sorted(by: { $0.key < $1.key }) {
                // Hour by hour, the series that need it (hours with the same series merged): a
                // series born in one hour is read for that hour, not for the others' hours too.
                for (start, end, items) in Self.slots(targetItems, from: from, to: to) {
                    let values = Set(items.map { wanted[$0.0]!.labels[label]! }).sorted()
                    var matcher = Self.regexMatcher(label, values)
                    var counts = LabelCounts()
                    for value in values {
                        let key = label + "\u{0}" + value
                        if countsByTargetValue[key] == nil {
                            countsByTargetValue[key] = LabelCounts(
                                (byTargetValue[key] ?? []).map { allSeries[$0].labels })
                        }
                        counts.merge(countsByTargetValue[key]!)
                    }
                    let narrower = Self.narrower(items.map { wanted[$0.0]!.labels }, counts: counts, target: label)
                    if let narrower { matcher += "," + Self.regexMatcher(narrower.name, narrower.values.sorted()) }
                    // The samples of the target's series the matchers select, summed in place.
                    var samples = 0
                    for index in values.flatMap({ byTargetValue[label + "\u{0}" + $0] ?? [] }) {
                        if let narrower,
                            !(allSeries[index].labels[narrower.name].map(narrower.values.contains) ?? false)
                        {
                            continue
                        }
                        samples += Self.samples(of: allSeries[index], from: start, to: end, grid: grid)
                    }
                    targeted += QueryPlan.rawQueries(
                        Self.adding(matcher, to: selector), from: Date(millis: start), to: Date(millis: end),
                        chunkSeconds: chunkSeconds
                    ).map { (window: Window(query: $0, series: nil), samples: samples) }
                }
            }
            windows += targeted
        }
        return windows.flatMap { Self.split($0.window, samples: $0.samples, maxSamples: maxSamples) }
    }

    /// The chunk `[from, to)` cut into hours (from `from`), each with the items whose stretch
    /// reaches into it; consecutive hours with the same items are one slot. Empty hours are left out.
    static func slots(_ items: [(String, Int64, Int64)], from: Int64, to: Int64)
        -> [(start: Int64, end: Int64, items: [(String, Int64, Int64)])]
    {
        var slots: [(start: Int64, end: Int64, items: [(String, Int64, Int64)])] = []
        var start = from
        while start < to {
            let end = min(start + Hour.millis, to)
            let inside = items.filter { $0.1 < end && $0.2 > start }
            if let last = slots.last, last.end == start, last.items.map(\.0) == inside.map(\.0) {
                slots[slots.count - 1].end = end
            } else if !inside.isEmpty {
                slots.append((start, end, inside))
            }
            start = end
        }
        return slots
    }

    /// At most this many samples per raw query: Prometheus refuses a query that loads more than
    /// `--query.max-samples` (50,000,000 by default) at once, VictoriaMetrics one that scans more
    /// than `-search.maxSamplesPerQuery` (1,000,000,000).
    static let maxSamplesPerQuery = 20_000_000

    /// `window` cut in time into parts of at most `maxSamples` estimated samples each (evenly).
    static func split(_ window: Window, samples: Int, maxSamples: Int) -> [Window] {
        guard samples > maxSamples, maxSamples > 0 else { return [window] }
        let query = window.query
        let parts = (samples + maxSamples - 1) / maxSamples
        let span = query.windowEnd.millis - query.windowStart.millis
        let length = max(1, (span + Int64(parts) - 1) / Int64(parts))
        guard let bracket = query.promql.lastIndex(of: "[") else { return [window] }
        let selector = String(query.promql[..<bracket])
        var windows: [Window] = []
        var cursor = query.windowStart.millis
        while cursor < query.windowEnd.millis {
            let next = min(cursor + length, query.windowEnd.millis)
            windows.append(
                Window(
                    query: RawSampleQuery(
                        promql: "\(selector)[\(next - cursor)ms]", evaluationTime: Date(millis: next - 1),
                        windowStart: Date(millis: cursor), windowEnd: Date(millis: next)),
                    series: window.series))
            cursor = next
        }
        return windows
    }

    /// The samples `series` holds in `[from, to)` by its hourly counts: every grid hour the stretch
    /// touches, and its usual count for the partial hour after the grid.
    static func samples(of series: SeriesHours, from: Int64, to: Int64, grid: SummaryGrid) -> Int {
        guard to > from else { return 0 }
        let first = max(0, Int((from - 1 - grid.startMillis) / Hour.millis))
        let last = Int((to - 2 - grid.startMillis) / Hour.millis)
        var total = 0
        if first <= min(last, grid.hourCount - 1) {
            for hour in first...min(last, grid.hourCount - 1) { total += max(0, Int(series.count[hour])) }
        }
        if last >= grid.hourCount { total += Int(series.usualCount) }
        return total
    }

    /// `label=~"v1|v2"`, each value literal.
    private static func regexMatcher(_ label: String, _ values: [String]) -> String {
        "\(label)=~" + PromQLLiteral.string(PromQLLiteral.alternation(values.map(PromQLLiteral.literalRegex)))
    }

    /// A matcher on the label (other than the target's) whose values among `needing` select the
    /// fewest of `targetSeries`, when that is at most half of them; nil otherwise.
    static func narrowing(_ needing: [[String: String]], among targetSeries: [[String: String]], target: String)
        -> String?
    {
        narrower(needing, counts: LabelCounts(targetSeries), target: target).map {
            regexMatcher($0.name, $0.values.sorted())
        }
    }

    /// How many of a target's series carry each value of each label.
    struct LabelCounts {
        private(set) var total = 0
        private(set) var byName: [String: [String: Int]] = [:]

        init(_ series: [[String: String]] = []) {
            for labels in series {
                total += 1
                for (name, value) in labels { byName[name, default: [:]][value, default: 0] += 1 }
            }
        }

        mutating func merge(_ other: LabelCounts) {
            total += other.total
            for (name, values) in other.byName { byName[name, default: [:]].merge(values, uniquingKeysWith: +) }
        }
    }

    /// The label and values of ``narrowing(_:among:target:)``, from the target's label counts.
    static func narrower(_ needing: [[String: String]], counts: LabelCounts, target: String)
        -> (name: String, values: Set<String>)?
    {
        guard counts.total > 2 * needing.count else { return nil }
        let names = Set(needing.flatMap(\.keys)).subtracting([target, "__name__"]).sorted()
        var best: (name: String, values: Set<String>, count: Int)?
        for name in names {
            let values = Set(needing.compactMap { $0[name] })
            guard values.count == Set(needing.map { $0[name] ?? "" }).count, !values.contains("") else { continue }
            let count = values.reduce(0) { $0 + (counts.byName[name]?[$1] ?? 0) }
            if count * 2 <= counts.total, count < best?.count ?? .max { best = (name, values, count) }
        }
        return best.map { ($0.name, $0.values) }
    }

    /// The label naming a series' scrape target, if it has one.
    private static func targetLabel(_ labels: [String: String]) -> String? {
        ["pod", "instance"].first { labels[$0]?.isEmpty == false }
    }

    /// `metric{a="b"}` with one more matcher: `metric{a="b",matcher}`.
    static func adding(_ matcher: String, to selector: String) -> String {
        selector.hasSuffix("}")
            ? String(selector.dropLast()) + (selector.hasSuffix("{}") ? "" : ",") + matcher + "}"
            : selector + "{" + matcher + "}"
    }

    /// Feeds one window's answer: per series, the samples inside its spans, starting runs as they begin.
    mutating func feed(_ window: Window, _ result: QueryResult, into accumulator: inout UsageAccumulator) {
        for series in result.series {
            let identity = UsageAccumulator.identity(series.labels)
            if let only = window.series, identity != only { continue }
            guard var entry = wanted[identity] else {
                if let newSeriesFrom {
                    let kept = series.samples.indices.filter { series.samples[$0].0 > newSeriesFrom }
                    accumulator.ingest(
                        series: series.labels, samples: kept.map { series.samples[$0] },
                        histogramCounts: series.histogramCounts.map { counts in kept.map { counts[$0] } },
                        identity: identity)
                }
                continue
            }
            var batch: [(Int64, Double)] = []
            var counts: [Double]? = series.histogramCounts.map { _ in [] }
            for (index, sample) in series.samples.enumerated() {
                while entry.cursor < entry.spans.count, entry.spans[entry.cursor].to <= sample.0 {
                    entry.cursor += 1
                    entry.begun = false
                }
                guard entry.cursor < entry.spans.count, entry.spans[entry.cursor].from <= sample.0 else { continue }
                let span = entry.spans[entry.cursor]
                if span.beginsRun, !entry.begun {
                    accumulator.ingest(
                        series: series.labels, samples: batch, histogramCounts: counts, identity: identity)
                    batch.removeAll()
                    counts = counts.map { _ in [] }
                    accumulator.beginRun(series: series.labels, seed: span.seed, identity: identity)
                }
                entry.begun = true
                batch.append(sample)
                if let all = series.histogramCounts { counts?.append(all[index]) }
            }
            accumulator.ingest(series: series.labels, samples: batch, histogramCounts: counts, identity: identity)
            wanted[identity] = entry
        }
    }

}
