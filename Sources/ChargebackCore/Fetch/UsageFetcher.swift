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
        var tokens = UsageAccumulator(buckets: plan.buckets, dimensions: dimensions, gapFactor: config.gapFactor)
        var records: [QueryRecord] = []
        var warnings = Set<String>()
        let total = plan.tokenQueries.count + plan.costQueries.count + 1
        var done = 0

        try await run(plan.tokenQueries) { query, result in
            for series in result.series { tokens.ingest(series: series.labels, samples: series.samples) }
            records.append(Self.record(query, result.series))
            warnings.formUnion(result.warnings)
            done += 1
            progress?(done, total)
        }

        // The gateway's own cost counter, per gateway, in nano-USD.
        let gatewayOnly = UsageDimensions(labels: config.metrics.labels, extraLabels: [])
        var cost = UsageAccumulator(buckets: plan.buckets, dimensions: gatewayOnly, gapFactor: config.gapFactor, scale: 1e9)
        try await run(plan.costQueries) { query, result in
            for series in result.series { cost.ingest(series: series.labels, samples: series.samples) }
            records.append(Self.record(query, result.series))
            warnings.formUnion(result.warnings)
            done += 1
            progress?(done, total)
        }
        var gatewayCost: [String: [Int64]] = [:]
        for (key, hours) in cost.usage {
            gatewayCost[key.gateway] = zip(gatewayCost[key.gateway] ?? Array(repeating: 0, count: hours.count), hours).map(+)
        }

        let increaseTime = min(plan.period.end, now)
        let increase = try await client.query(plan.dashboardIncreaseQuery, at: increaseTime)
        records.append(QueryRecord(endpoint: "/api/v1/query", promql: plan.dashboardIncreaseQuery, time: increaseTime,
                                   windowStart: nil, windowEnd: nil, series: increase.series.count,
                                   samples: increase.series.count))
        warnings.formUnion(increase.warnings)
        done += 1
        progress?(done, total)
        let labels = config.metrics.labels
        let dashboard = increase.series.compactMap { series -> DashboardFigure? in
            guard let value = series.samples.first?.1, value.isFinite else { return nil }
            return DashboardFigure(gateway: series.labels[labels.gateway] ?? "", tokenType: series.labels[labels.tokenType] ?? "",
                                   tokens: value)
        }.sorted { ($0.gateway, $0.tokenType) < ($1.gateway, $1.tokenType) }

        var diagnostics = warnings.sorted().map { Diagnostic.warning("Prometheus: \($0)") }
        if tokens.invalidSamples > 0 {
            diagnostics.append(.warning("\(tokens.invalidSamples) sample(s) were NaN, infinite or negative and were skipped"))
        }
        let stats = client.statistics
        logger.info("fetched", metadata: [
            "queries": .stringConvertible(records.count), "requests": .stringConvertible(stats.requests),
            "series": .stringConvertible(tokens.seriesCount + cost.seriesCount),
            "points": .stringConvertible(stats.samples), "bytes": .stringConvertible(stats.bytes),
            "server_wait_s": .string(String(format: "%.2f", stats.waitSeconds)),
        ])
        return MeasuredUsage(tokens: tokens.usage, coverage: tokens.coverage(dataEnd: now), gatewayCostNanos: gatewayCost,
                             dashboardIncrease: dashboard, queries: records, diagnostics: diagnostics)
    }

    /// Runs queries with bounded concurrency and hands results to `ingest` strictly in order.
    private func run(_ queries: [RawSampleQuery], ingest: (RawSampleQuery, QueryResult) throws -> Void) async throws {
        let client = self.client
        let logger = self.logger
        let width = max(1, client.settings.concurrency)
        try await withThrowingTaskGroup(of: (Int, QueryResult).self) { group in
            var launched = 0
            var waiting: [Int: QueryResult] = [:]
            var nextToIngest = 0
            func launch() {
                let index = launched
                let query = queries[index]
                group.addTask {
                    logger.debug("query", metadata: ["promql": .string(query.promql),
                                                     "time": .string(DateText.utc(query.evaluationTime))])
                    return (index, try await client.query(query.promql, at: query.evaluationTime))
                }
                launched += 1
            }
            while launched < min(width, queries.count) { launch() }
            while let (index, result) = try await group.next() {
                waiting[index] = result
                while let ready = waiting.removeValue(forKey: nextToIngest) {
                    try ingest(queries[nextToIngest], ready)
                    nextToIngest += 1
                    if launched < queries.count { launch() }
                }
            }
        }
    }

    private static func record(_ query: RawSampleQuery, _ series: [SeriesSamples]) -> QueryRecord {
        QueryRecord(endpoint: "/api/v1/query", promql: query.promql, time: query.evaluationTime,
                    windowStart: query.windowStart, windowEnd: query.windowEnd, series: series.count,
                    samples: series.reduce(0) { $0 + $1.samples.count })
    }
}
