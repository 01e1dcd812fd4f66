import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import Logging

/// Runs a ``QueryPlan`` against Prometheus. Per counter: the ``FarEdgeProbe``, then hourly
/// summaries and raw samples for the hours they cannot settle (``RunPlanner``, ``RawSpans``), or
/// with `prometheus.plan: raw` every raw sample; samples reach the counter math in time order.
/// At most `concurrency` queries are in flight or waiting.
public struct UsageFetcher: Sendable {
    public let client: any MetricsBackend
    public let logger: Logger
    /// Called after each query with (done, total so far), for progress display.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// For the usage store: stored counter states the token series continue from (every token
    /// sample is then read raw, so none is summed across a state), and whether to keep each token
    /// series' last sample per hour (``MeasuredUsage/lastFedInHour``).
    public var continuing: [SeriesState] = []
    public var keepsHourEnds = false
    /// Above this many series a counter's summaries are read in batches (``SeriesBatches``).
    public var seriesPerBatch = SeriesBatches.defaultSeriesPerBatch

    public init(client: any MetricsBackend, logger: Logger, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.client = client
        self.logger = logger
        self.progress = progress
    }

    /// - Parameter allowEmpty: accept a counter with no series at all (otherwise ``FetchError/noSeries``).
    public func fetch(plan: QueryPlan, config: ChargebackConfig, now: Date, allowEmpty: Bool = false)
        async throws -> MeasuredUsage
    {
        let dimensions = config.dimensions
        var session = Session(tally: ProgressTally(report: progress), splitLabels: SeriesLookup.splitLabels(dimensions))
        session.plan(1)
        // The counters beside the tokens run in the same waves as the token counter's reads (the
        // client keeps at most `concurrency` requests in flight); their records follow the tokens'.
        let besideSession = session.beside()
        async let side = readBeside(config: config, plan: plan, now: now, session: besideSession)
        var tokens = UsageAccumulator(buckets: plan.buckets, dimensions: dimensions, gapFactor: config.gapFactor)
        tokens.continueFrom(continuing)
        if keepsHourEnds { tokens.keepLastFedInHour() }
        try await read(
            metric: config.metrics.tokens, selector: plan.tokenSelector, rawQueries: plan.tokenQueries,
            plan: plan, now: now, summaries: continuing.isEmpty, into: &tokens, session: &session,
            settlesEdge: false)
        // The native histogram of the same tokens, each series by its own kind (``NativeHistograms``).
        let readsNative = try await readNative(config: config, plan: plan, now: now, into: &tokens, session: &session)
        tokens.settleDataEdge(readFromMillis: plan.grid.startMillis)
        // Counters that ran before their first scrape: their first value shared back to their start.
        let late = try await shareLateStarts(into: &tokens, config: config, plan: plan, now: now, session: &session)
        if tokens.seriesCount == 0 && late.shared.isEmpty {
            // Before --allow-empty: usage VictoriaMetrics cannot hold is not "no usage".
            try await NativeHistogramCheck.check(
                config: config, client: client, from: Date(millis: plan.grid.startMillis),
                to: min(plan.period.end, now))
        }
        if tokens.seriesCount == 0 && late.shared.isEmpty && !allowEmpty {
            throw FetchError.noSeries(
                url: client.displayURL, selector: plan.tokenSelector,
                from: Date(millis: plan.grid.startMillis), to: min(plan.period.end, now),
                remedy: "; `chargeback validate --online` checks them. To write a report of no "
                    + "usage on purpose, pass --allow-empty")
        }
        let beside = try await side
        session.absorb(beside.session)
        var increases = [beside.increase]
        // A dashboard of a native histogram: `histogram_sum(increase(…))`.
        if readsNative, let promql = NativeHistograms.dashboardQuery(config: config, period: plan.period) {
            let increaseTime = min(plan.period.end, now)
            let native = try await client.query(promql, at: increaseTime)
            session.finish(
                QueryRecord(
                    endpoint: "/api/v1/query", promql: promql, time: increaseTime, windowStart: nil, windowEnd: nil,
                    series: native.series.count, samples: native.series.count), native.warnings)
            increases.append(native.series)
        }
        let dashboard = NativeHistograms.dashboardFigures(increases, labels: config.metrics.labels)

        var diagnostics = session.notes + session.warnings.sorted().map { Diagnostic.warning("Prometheus: \($0)") }
        let sharing = tokens.sharing
        let coverage = tokens.coverage(dataEnd: now, sharing: sharing)
        diagnostics += Self.edgeWarnings(coverage, period: plan.period)
        if let twice = DoubleScrape.warning(sharing.doubleScrapes) { diagnostics.append(twice) }
        for warning in [
            LateStart.warning(late.shared, metric: config.metrics.tokens),
            LateStart.unsharedWarning(late.unshared, metric: config.metrics.tokens),
        ] {
            if let warning { diagnostics.append(warning) }
        }
        if tokens.invalidSamples > 0 {
            diagnostics.append(
                .warning("\(tokens.invalidSamples) sample(s) were NaN, infinite or negative and were skipped"))
        }
        // The targets' builds (read beside): which series follow agentgateway's newer cache convention.
        let seriesUsage = tokens.seriesUsage
        var newerBuilds: [UsageKey: [Bool?]] = [:]
        var buildTags: [String: Set<String>] = [:]
        switch beside.builds {
        case .success(let builds)?:
            buildTags = builds
            let pairs = builds.flatMap { tag, targets in targets.map { ($0, tag) } }
            let tags = Dictionary(pairs) { first, _ in first }
            newerBuilds = BuildConvention.newerBuilds(series: seriesUsage, tags: tags, dimensions: dimensions)
        case .failure(let error)?:
            diagnostics.append(
                .warning(
                    "could not read \(OnlineHints.buildInfo) (\(error.localizedDescription)): "
                        + "the v1.4.x cache convention applies wherever no configured rule decides"))
        case nil:
            break
        }
        let stats = client.statistics
        logger.info(
            "fetched",
            metadata: [
                "queries": .stringConvertible(session.records.count), "requests": .stringConvertible(stats.requests),
                "series": .stringConvertible(tokens.seriesCount + beside.costSeries),
                "points": .stringConvertible(stats.samples), "bytes": .stringConvertible(stats.bytes),
                "server_wait_s": .string(String(format: "%.2f", stats.waitSeconds)),
                "summarised_series_hours": .stringConvertible(session.settledHours),
                "raw_series_hours": .stringConvertible(session.rawHours),
            ])
        var measured = MeasuredUsage(
            tokens: tokens.usage(sharing), coverage: coverage, gatewayCostNanos: beside.gatewayCost,
            dashboardIncrease: dashboard, queries: session.records, diagnostics: diagnostics)
        measured.hourSamples = tokens.hourSamples
        measured.hourMissedSamples = tokens.hourMissedSamples
        measured.seriesInPeriod = tokens.seriesInPeriod
        measured.continuedUsage = tokens.continuedUsage
        if keepsHourEnds {
            measured.lastFedInHour = tokens.lastFedInHour ?? [:]
            measured.samplesBySeries = tokens.samplesBySeries
        }
        measured.newerBuilds = newerBuilds
        measured.responseModels = tokens.responseModels(label: config.metrics.labels.responseModel)
        measured.catalogLookups = beside.catalogLookups
        measured.requests = beside.requests
        measured.gatewayBuilds = CatalogLookups.gatewayBuilds(
            buildTags, series: seriesUsage.map(\.labels), gatewayLabel: config.metrics.labels.gateway)
        return measured
    }

    /// Reads one counter into `accumulator` by the configured plan, after the last samples of series
    /// silent through the lookback, and before the first samples after the lookahead of series silent
    /// through it (``FarEdgeProbe``). Summaries the backend places off the hour
    /// grid fall back to raw samples, with a note; `summaries: false` reads raw samples only.
    /// - Parameters:
    ///   - native: `selector` is a native histogram's (summaries by ``NativeSummaryReader``).
    ///   - countsObservations: read a native histogram's observation `count`, not its `sum` (requests).
    ///   - settlesEdge: settle the data edge when done (``UsageAccumulator/settleDataEdge(readFromMillis:)``);
    ///     false when another read into `accumulator` follows.
    ///   - skipsAbsent: ask nothing more of a counter the probe found no series of (the cost counter
    ///     on gateways without it).
    func read(
        metric: String, selector: String, rawQueries: [RawSampleQuery], plan: QueryPlan, now: Date,
        summaries: Bool, into accumulator: inout UsageAccumulator, session: inout Session,
        native: Bool = false, countsObservations: Bool = false, settlesEdge: Bool = true, skipsAbsent: Bool = false
    ) async throws {
        let probe = try await FarEdgeProbe(client: client, plan: plan, splitLabels: session.splitLabels).samples(
            metric: metric, selector: selector, now: now)
        session.plan(probe.records.count)
        for record in probe.records { session.finish(record, []) }
        for (labels, sample) in probe.before { accumulator.ingest(series: labels, samples: [sample]) }
        // Nothing to summarise or read: the index and the lookback found no series. (The token
        // counter is always read: no series of it is an error, and a fake index may list none.)
        if skipsAbsent && probe.absent && probe.before.isEmpty && probe.after.isEmpty {
            if settlesEdge { accumulator.settleDataEdge(readFromMillis: plan.grid.startMillis) }
            return
        }
        let pays = PlanChoice.summariesPay(
            lookbackCounts: probe.lookback,
            lookbackHours: plan.period.start.timeIntervalSince(Date(millis: plan.grid.startMillis)) / 3600)
        if client.settings.plan == .summaries && summaries && pays {
            do {
                try await readSummarised(
                    metric: metric, selector: selector, plan: plan, series: probe.lookback.count,
                    into: &accumulator, session: &session, native: native, countsObservations: countsObservations)
                for (labels, sample) in probe.after { accumulator.ingest(series: labels, samples: [sample]) }
                if settlesEdge { accumulator.settleDataEdge(readFromMillis: plan.grid.startMillis) }
                return
            } catch let offGrid as SummaryReader.OffGrid {
                session.notes.append(
                    .note(
                        "the backend answered `\(offGrid.promql)` \(offGrid.how); "
                            + "read raw samples instead (set prometheus.plan: raw to skip the attempt)"))
                // The native pass reads into an accumulator holding the classic series: the
                // summaries failed before feeding it anything, so it is kept.
                if !native {
                    let keepsHourEnds = accumulator.lastFedInHour != nil
                    accumulator = UsageAccumulator(
                        buckets: accumulator.buckets, dimensions: accumulator.dimensions,
                        gapFactor: accumulator.gapFactor, scale: accumulator.scale)
                    if keepsHourEnds { accumulator.keepLastFedInHour() }
                    for (labels, sample) in probe.before { accumulator.ingest(series: labels, samples: [sample]) }
                }
            }
        }
        // Every series of the lookback at its rate, per query: split above the per-query sample limit.
        let perMilli =
            Double(probe.lookback.reduce(0, +)) / max(1, Double(plan.period.start.millis - plan.grid.startMillis))
        let rawQueries = rawQueries.flatMap { query in
            RawSpans.split(
                .init(query: query, series: nil),
                samples: Int(perMilli * Double(query.windowEnd.millis - query.windowStart.millis)),
                maxSamples: RawSpans.maxSamplesPerQuery
            ).map(\.query)
        }
        session.plan(rawQueries.count)
        try await readRaw(rawQueries, session: &session) { _, answer in
            let result = countsObservations ? answer.observationCounts : answer
            for series in result.series {
                accumulator.ingest(
                    series: series.labels, samples: series.samples, histogramCounts: series.histogramCounts)
            }
        }
        for (labels, sample) in probe.after { accumulator.ingest(series: labels, samples: [sample]) }
        if settlesEdge { accumulator.settleDataEdge(readFromMillis: plan.grid.startMillis) }
    }

    /// Hourly summaries first; then raw samples for the hours of each series they cannot settle;
    /// batch by batch of series (``SeriesBatches``) when the counter has many.
    /// - Parameter series: how many series the lookback holds.
    private func readSummarised(
        metric: String, selector: String, plan: QueryPlan, series: Int, into accumulator: inout UsageAccumulator,
        session: inout Session, native: Bool, countsObservations: Bool
    ) async throws {
        let grid = plan.grid
        var batches = [selector]
        if !grid.tailInPeriod {
            var lookups: [QueryRecord] = []
            batches = try await SeriesBatches(
                client: client, splitLabels: session.splitLabels, seriesPerBatch: seriesPerBatch
            ).selectors(
                selector, series: series, start: Date(millis: grid.startMillis), end: Date(millis: grid.endMillis)
            ) { lookups.append($0) }
            session.plan(lookups.count)
            for record in lookups { session.finish(record, []) }
        }
        let combined = native ? false : await combinesSummaries(grid: grid, session: &session)
        // Every batch asks the same hours, so a backend that answers off the grid does so in the
        // first, before anything was fed.
        for batch in batches {
            try await readSummarisedBatch(
                metric: metric, selector: batch, plan: plan, into: &accumulator, session: &session, native: native,
                countsObservations: countsObservations, combined: combined)
        }
    }

    /// Whether the four summaries can be one query per stretch (VictoriaMetrics' `aggr_over_time`,
    /// which reads each sample once instead of once per function): only on VictoriaMetrics, and
    /// only when no series in the range has a label of the name that query adds to its answer.
    private func combinesSummaries(grid: SummaryGrid, session: inout Session) async -> Bool {
        guard client.isVictoriaMetrics else { return false }
        let (start, end) = (Date(millis: grid.startMillis), Date(millis: grid.endMillis))
        guard let taken = try? await client.labelValues(SummaryQuery.rollupLabel, start: start, end: end) else {
            return false
        }
        session.plan(1)
        session.finish(.labelValues(SummaryQuery.rollupLabel, start: start, end: end, values: taken.count), [])
        return taken.isEmpty
    }

    /// ``readSummarised(metric:selector:plan:series:into:session:native:countsObservations:)`` of
    /// the series `selector` selects.
    private func readSummarisedBatch(
        metric: String, selector: String, plan: QueryPlan, into accumulator: inout UsageAccumulator,
        session: inout Session, native: Bool, countsObservations: Bool, combined: Bool
    ) async throws {
        let grid = plan.grid
        var hours: [String: SeriesHours]
        if native {
            session.plan(NativeSummaryReader.queries(selector).count * ((grid.hourCount + 167) / 168))
            let reader = NativeSummaryReader(client: client, grid: grid, countsObservations: countsObservations)
            hours = try await reader.read(selector) { record, warnings in
                session.finish(record, warnings)
            }
        } else {
            let summaryQueries = plan.summaryQueries(selector, combined: combined)
            session.plan(summaryQueries.count)
            hours = try await SummaryReader(client: client, grid: grid).read(summaryQueries) { record, warnings in
                session.finish(record, warnings)
            }
        }
        // Series settled from their first grid hour on are never read raw: the summaries say
        // where their data starts.
        if let firstHour = hours.values.compactMap({ $0.count.firstIndex { $0 > 0 } }).min() {
            accumulator.noteData(from: grid.hourStartMillis(firstHour))
        }
        accumulator.reserveSeries(hours.count)
        let planner = RunPlanner(grid: grid)
        var spans = RawSpans(newSeriesFrom: grid.tailInPeriod ? grid.tailStartMillis : nil, seriesCount: hours.count)
        // Runs' last hours that settle if the samples read before them end on schedule.
        var maySettle: [(identity: String, hour: Int, settled: UsageAccumulator.SummarizedHour)] = []
        func summarized(_ series: SeriesHours, _ hour: Int) -> UsageAccumulator.SummarizedHour {
            UsageAccumulator.SummarizedHour(
                bucket: grid.bucket(ofHour: hour), afterEnd: grid.isAfterPeriod(hour),
                last: series.last[hour], previousLast: series.last[hour - 1], samples: Int(series.count[hour]))
        }
        func counted(_ hour: Int, _ series: SeriesHours) -> Bool {
            grid.overlapsPeriod(hour) && series.count[hour] != 0
        }
        for identity in hours.keys.sorted() {
            let series = hours[identity]!
            let seriesPlan = planner.plan(series)
            let settled = seriesPlan.settled.map { summarized(series, $0) }
            session.settledHours += settled.filter { $0.bucket != nil }.count
            accumulator.addSummarized(series: series.labels, identity: identity, hours: settled)
            for run in seriesPlan.runs {
                let rawLast = run.lastSettles ? run.lastHour - 1 : run.lastHour
                session.rawHours +=
                    (run.firstHour...min(rawLast, grid.hourCount - 1)).filter { counted($0, series) }.count
                spans.add(run, of: series, identity: identity, grid: grid)
                if run.lastSettles { maySettle.append((identity, run.lastHour, summarized(series, run.lastHour))) }
            }
        }
        // From here on only the counts are needed (the raw reads' estimates): the other summaries go.
        let counts = hours.mapValues { series in
            var counted = series
            (counted.last, counted.minimum, counted.resets) = ([], [], [])
            return counted
        }
        hours = [:]
        let feed = countsObservations ? \QueryResult.observationCounts : \QueryResult.self
        try await readSpans(spans, selector: selector, metric: metric, plan: plan, counts: counts, session: &session) {
            spans.feed($0, $1[keyPath: feed], into: &accumulator)
        }
        // Each of those hours: settled, or read raw after all when the samples before it end early
        // (a gap reaching into it), continuing the series' tracker.
        var late = RawSpans(newSeriesFrom: nil, seriesCount: counts.count)
        for (identity, hour, settled) in maySettle {
            let series = counts[identity]!
            let start = grid.hourStartMillis(hour)
            if accumulator.endsOnSchedule(series: series.labels, identity: identity, before: start) {
                accumulator.addSummarized(series: series.labels, identity: identity, hours: [settled])
                if settled.bucket != nil { session.settledHours += 1 }
            } else {
                late.add(.init(firstHour: hour, lastHour: hour, seed: nil), of: series, identity: identity, grid: grid)
                if counted(hour, series) { session.rawHours += 1 }
            }
        }
        try await readSpans(late, selector: selector, metric: metric, plan: plan, counts: counts, session: &session) {
            late.feed($0, $1[keyPath: feed], into: &accumulator)
        }
    }

    /// Reads the raw samples `spans` needs, each answer handed to `feed` with its window, in order.
    private func readSpans(
        _ spans: RawSpans, selector: String, metric: String, plan: QueryPlan, counts: [String: SeriesHours],
        session: inout Session, feed: (RawSpans.Window, QueryResult) -> Void
    ) async throws {
        let windows = spans.windows(
            selector: selector, metric: metric, grid: plan.grid, chunkSeconds: plan.chunkSeconds,
            allSeries: Array(counts.values))
        guard !windows.isEmpty else { return }
        session.plan(windows.count)
        try await readRaw(windows.map(\.query), session: &session) { index, result in feed(windows[index], result) }
    }

    /// Raw samples of `queries`, handed to `ingest` in order and recorded.
    private func readRaw(
        _ queries: [RawSampleQuery], session: inout Session,
        ingest: (Int, QueryResult) -> Void
    ) async throws {
        let client = self.client
        let logger = self.logger
        try await orderedFetch(count: queries.count, width: client.settings.concurrency) { index in
            let query = queries[index]
            logger.debug(
                "query",
                metadata: [
                    "promql": .string(query.promql),
                    "time": .string(DateText.utc(query.evaluationTime)),
                ])
            return try await client.query(query.promql, at: query.evaluationTime)
        } ingest: { index, result in
            ingest(index, result)
            session.finish(Self.record(queries[index], result.series), result.warnings)
        }
    }

    private static func record(_ query: RawSampleQuery, _ series: [SeriesSamples]) -> QueryRecord {
        QueryRecord(
            endpoint: "/api/v1/query", promql: query.promql, time: query.evaluationTime,
            windowStart: query.windowStart, windowEnd: query.windowEnd, series: series.count,
            samples: series.reduce(0) { $0 + $1.samples.count })
    }
}
