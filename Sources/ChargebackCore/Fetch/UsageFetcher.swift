import Foundation
import Logging

/// A query as it was run, for the manifest and `--verbose`.
public struct QueryRecord: Sendable, Equatable {
    public let endpoint: String
    public let promql: String
    /// For instant queries the evaluation time; for range-vector selectors the window too.
    public let time: Date
    public let windowStart: Date?
    public let windowEnd: Date?
    public let series: Int
    public let samples: Int
}

/// The raw result of the Fetch and Usage stages.
public struct MeasuredUsage: Sendable {
    /// Exact hourly token increases per key.
    public let tokens: [UsageKey: [Int64]]
    public let coverage: Coverage
    /// The gateway's own cost counter, hourly, in nano-USD per gateway; empty when not exported.
    public let gatewayCostNanos: [String: [Int64]]
    /// `increase()` over the whole period per gateway and token type, as a dashboard computes it.
    public let dashboardIncrease: [DashboardFigure]
    public let queries: [QueryRecord]
    public let diagnostics: [Diagnostic]
}

/// What PromQL `increase()` says for one gateway and token type over the period.
public struct DashboardFigure: Sendable, Equatable {
    public let gateway: String
    public let tokenType: String
    public let tokens: Double
}

/// One raw-sample query and what its samples continue.
struct RawWindow: Sendable {
    let query: RawSampleQuery
    /// The one series wanted (identity and labels), or `nil` for every series the query returns.
    var series: String?
    var labels: [String: String]?
    /// Whether the window's series starts a new run here, continuing from `seed`.
    var beginsRun = false
    var seed: Double?
    /// Series (of all returned) whose run starts in this window, with their seeds.
    var sharedSeeds: [String: Double] = [:]
}

/// Runs a ``QueryPlan`` against Prometheus and feeds the samples, chunk by chunk and in time
/// order, into the counter math. At most `concurrency` chunks are in flight or waiting.
public struct UsageFetcher {
    public let client: PrometheusClient
    public let logger: Logger
    /// Called after each chunk with (done, total), for progress display.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(client: PrometheusClient, logger: Logger, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.client = client
        self.logger = logger
        self.progress = progress
    }

    public func fetch(plan: QueryPlan, config: ChargebackConfig, now: Date) async throws -> MeasuredUsage {
        let dimensions = UsageDimensions(labels: config.metrics.labels, extraLabels: config.teams.extraLabelKeys)
        var session = Session(progress: progress)
        session.total = 1
        var tokens = UsageAccumulator(buckets: plan.buckets, dimensions: dimensions, gapFactor: config.gapFactor)
        try await read(metric: config.metrics.tokens, selector: plan.tokenSelector, rawQueries: plan.tokenQueries,
                       plan: plan, into: &tokens, session: &session)

        // The gateway's own cost counter, per gateway, in nano-USD.
        let gatewayOnly = UsageDimensions(labels: config.metrics.labels, extraLabels: [])
        var cost = UsageAccumulator(buckets: plan.buckets, dimensions: gatewayOnly, gapFactor: config.gapFactor, scale: 1e9)
        if let metric = config.metrics.cost, let selector = plan.costSelector {
            try await read(metric: metric, selector: selector, rawQueries: plan.costQueries, plan: plan, into: &cost,
                           session: &session)
        }
        var gatewayCost: [String: [Int64]] = [:]
        for (key, hours) in cost.usage {
            gatewayCost[key.gateway] = zip(gatewayCost[key.gateway] ?? Array(repeating: 0, count: hours.count), hours).map(+)
        }

        let increaseTime = min(plan.period.end, now)
        let increase = try await client.query(plan.dashboardIncreaseQuery, at: increaseTime)
        session.finish(QueryRecord(endpoint: "/api/v1/query", promql: plan.dashboardIncreaseQuery, time: increaseTime,
                                   windowStart: nil, windowEnd: nil, series: increase.series.count,
                                   samples: increase.series.count), increase.warnings)
        let labels = config.metrics.labels
        let dashboard = increase.series.compactMap { series -> DashboardFigure? in
            guard let value = series.samples.first?.1, value.isFinite else { return nil }
            return DashboardFigure(gateway: series.labels[labels.gateway] ?? "", tokenType: series.labels[labels.tokenType] ?? "",
                                   tokens: value)
        }.sorted { ($0.gateway, $0.tokenType) < ($1.gateway, $1.tokenType) }

        var diagnostics = session.notes + session.warnings.sorted().map { Diagnostic.warning("Prometheus: \($0)") }
        if tokens.invalidSamples > 0 {
            diagnostics.append(.warning("\(tokens.invalidSamples) sample(s) were NaN, infinite or negative and were skipped"))
        }
        let stats = client.statistics
        logger.info("fetched", metadata: [
            "queries": .stringConvertible(session.records.count), "requests": .stringConvertible(stats.requests),
            "series": .stringConvertible(tokens.seriesCount + cost.seriesCount),
            "points": .stringConvertible(stats.samples), "bytes": .stringConvertible(stats.bytes),
            "server_wait_s": .string(String(format: "%.2f", stats.waitSeconds)),
            "summarised_series_hours": .stringConvertible(session.settledHours),
            "raw_series_hours": .stringConvertible(session.rawHours),
        ])
        return MeasuredUsage(tokens: tokens.usage, coverage: tokens.coverage(dataEnd: now), gatewayCostNanos: gatewayCost,
                             dashboardIncrease: dashboard, queries: session.records, diagnostics: diagnostics)
    }

    /// What the queries of one report brought back besides samples, and the progress count.
    private struct Session {
        let progress: (@Sendable (Int, Int) -> Void)?
        var records: [QueryRecord] = []
        var warnings = Set<String>()
        var notes: [Diagnostic] = []
        var done = 0
        var total = 0
        /// In-period series-hours settled by summaries, and read raw.
        var settledHours = 0
        var rawHours = 0

        mutating func finish(_ record: QueryRecord, _ warnings: [String]) {
            records.append(record)
            self.warnings.formUnion(warnings)
            done += 1
            progress?(done, total)
        }
    }

    /// Reads one counter into `accumulator` by the configured plan, after the last samples of series
    /// silent through the lookback (``FarEdgeProbe``). Summaries the backend places off the hour
    /// grid fall back to raw samples, with a note.
    private func read(metric: String, selector: String, rawQueries: [RawSampleQuery], plan: QueryPlan,
                      into accumulator: inout UsageAccumulator, session: inout Session) async throws {
        let probe = try await FarEdgeProbe(client: client, plan: plan).samples(metric: metric, selector: selector)
        session.total += probe.records.count
        for record in probe.records { session.finish(record, []) }
        for (labels, sample) in probe.found { accumulator.ingest(series: labels, samples: [sample]) }
        if client.settings.plan == .summaries {
            do {
                try await readSummarised(metric: metric, selector: selector, plan: plan, into: &accumulator,
                                         session: &session)
                return
            } catch let offGrid as SummaryReader.OffGrid {
                session.notes.append(.note("the backend answered `\(offGrid.promql)` off the hour grid; "
                    + "read raw samples instead (set prometheus.plan: raw to skip the attempt)"))
                accumulator = UsageAccumulator(buckets: accumulator.buckets, dimensions: accumulator.dimensions,
                                               gapFactor: accumulator.gapFactor, scale: accumulator.scale)
                for (labels, sample) in probe.found { accumulator.ingest(series: labels, samples: [sample]) }
            }
        }
        session.total += rawQueries.count
        try await readRaw(rawQueries.map { RawWindow(query: $0) }, into: &accumulator, session: &session)
    }

    /// Hourly summaries first; then raw samples for the hours of each series they cannot settle.
    private func readSummarised(metric: String, selector: String, plan: QueryPlan, into accumulator: inout UsageAccumulator,
                                session: inout Session) async throws {
        let grid = plan.grid
        let summaryQueries = plan.summaryQueries(selector)
        session.total += summaryQueries.count
        let hours = try await SummaryReader(client: client, grid: grid).read(summaryQueries) { record, warnings in
            session.finish(record, warnings)
        }
        let planner = RunPlanner(grid: grid)
        var windows: [RawWindow] = []
        // The partial hour at the end of a period not over yet is read for every series at once,
        // from the last whole hour on; runs reaching it continue there.
        let sharedStart = grid.tailInPeriod ? grid.hourStartMillis(max(0, grid.hourCount - 1)) : nil
        var sharedSeeds: [String: Double] = [:]
        for identity in hours.keys.sorted() {
            let series = hours[identity]!
            let seriesPlan = planner.plan(series)
            for hour in seriesPlan.settled {
                let bucket = grid.bucket(ofHour: hour)
                if bucket != nil { session.settledHours += 1 }
                accumulator.addSummarized(series: series.labels, hour: bucket, afterEnd: grid.isAfterPeriod(hour),
                                          last: series.last[hour], previousLast: series.last[hour - 1],
                                          samples: Int(series.count[hour]))
            }
            let exact = "\(metric)" + PromQLLiteral.labelSet(series.labels)
            for run in seriesPlan.runs {
                session.rawHours += (run.firstHour...min(run.lastHour, grid.hourCount - 1))
                    .filter { grid.overlapsPeriod($0) && series.count[$0] != 0 }.count
                var spans = RunSpans.spans(of: run, in: series, grid: grid, before: sharedStart)
                if run.lastHour >= grid.hourCount - 1, sharedStart == nil, grid.tailStartMillis < grid.endMillis {
                    spans = RunSpans.merge(spans + [(grid.tailStartMillis, grid.endMillis)])
                }
                if spans.isEmpty, let sharedStart, run.lastHour >= grid.hourCount {
                    if grid.hourStartMillis(run.firstHour) >= sharedStart, let seed = run.seed { sharedSeeds[identity] = seed }
                    continue
                }
                var first = true
                for (from, to) in spans {
                    for query in QueryPlan.rawQueries(exact, from: SummaryReader.date(from), to: SummaryReader.date(to),
                                                      chunkSeconds: plan.chunkSeconds) {
                        // A run without seed is the series' first: it continues the tracker (fresh,
                        // or holding the far-edge sample) instead of starting a new one.
                        windows.append(RawWindow(query: query, series: identity, labels: series.labels,
                                                 beginsRun: first && run.seed != nil, seed: run.seed))
                        first = false
                    }
                }
            }
        }
        if let sharedStart {
            for query in QueryPlan.rawQueries(selector, from: SummaryReader.date(sharedStart),
                                              to: SummaryReader.date(grid.endMillis), chunkSeconds: plan.chunkSeconds) {
                windows.append(RawWindow(query: query, sharedSeeds: sharedSeeds))
                sharedSeeds = [:]
            }
        }
        session.total += windows.count
        try await readRaw(windows, into: &accumulator, session: &session)
    }

    /// Raw samples, fed to the accumulator in window order. A window of one series keeps only that
    /// series (an exact label match also matches series with more labels) and may start a run.
    private func readRaw(_ windows: [RawWindow], into accumulator: inout UsageAccumulator,
                         session: inout Session) async throws {
        let client = self.client
        let logger = self.logger
        try await orderedFetch(count: windows.count, width: client.settings.concurrency) { index in
            let query = windows[index].query
            logger.debug("query", metadata: ["promql": .string(query.promql),
                                             "time": .string(DateText.utc(query.evaluationTime))])
            return try await client.query(query.promql, at: query.evaluationTime)
        } ingest: { index, result in
            let window = windows[index]
            let startMillis = Int64((window.query.windowStart.timeIntervalSince1970 * 1000).rounded())
            if window.beginsRun, let labels = window.labels {
                accumulator.beginRun(series: labels, seed: window.seed)
            }
            for series in result.series {
                let identity = UsageAccumulator.identity(series.labels)
                if let only = window.series, identity != only { continue }
                if let seed = window.sharedSeeds[identity] {
                    accumulator.beginRun(series: series.labels, seed: seed)
                }
                // Prometheus before 3.0 also returns a sample at exactly the window start − 1 ms.
                let samples = series.samples.first.map { $0.0 < startMillis } == true
                    ? series.samples.filter { $0.0 >= startMillis } : series.samples
                accumulator.ingest(series: series.labels, samples: samples)
            }
            session.finish(Self.record(window.query, result.series), result.warnings)
        }
    }

    private static func record(_ query: RawSampleQuery, _ series: [SeriesSamples]) -> QueryRecord {
        QueryRecord(endpoint: "/api/v1/query", promql: query.promql, time: query.evaluationTime,
                    windowStart: query.windowStart, windowEnd: query.windowEnd, series: series.count,
                    samples: series.reduce(0) { $0 + $1.samples.count })
    }
}
