import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The reads of one fetch that do not need the token counter's: the gateway's cost counter, the
/// catalog lookups, the requests, the dashboard's figure and the builds. ``UsageFetcher`` runs
/// them side by side with the tokens.
extension UsageFetcher {
    /// What ``readBeside(config:plan:now:session:)`` brought back.
    struct Beside: Sendable {
        /// The gateway's own cost counter per gateway and hour, in nano-USD.
        var gatewayCost: [String: [Int64]] = [:]
        var costSeries = 0
        var catalogLookups: [String: [String: Int64]] = [:]
        var requests: [UsageKey: [Int64]]?
        /// The dashboard's `increase()` of the classic counter.
        var increase: [SeriesSamples] = []
        /// Each build's targets (`nil` where a configured catch-all cache rule makes them moot).
        var builds: Result<[String: Set<String>], any Error>?
        var session: Session
    }

    func readBeside(config: ChargebackConfig, plan: QueryPlan, now: Date, session: Session) async throws -> Beside {
        var beside = Beside(session: session)
        // The dashboard's figure and the builds are one query each, the first the costliest of
        // all (the backend reads every sample of the period): asked first, waited for last.
        let client = self.client
        let (from, to) = (Date(millis: plan.grid.startMillis), min(plan.period.end, now))
        async let increaseAnswer = client.query(plan.dashboardIncreaseQuery, at: to)
        let readsBuilds = !config.metrics.inputIncludesCache.hasCatchAll
        async let buildAnswer = Self.builds(readsBuilds ? config : nil, client: client, from: from, to: to)
        // The gateway's own cost counter, per gateway, in nano-USD.
        let gatewayOnly = UsageDimensions(labels: config.metrics.labels, extraLabels: [])
        var cost = UsageAccumulator(
            buckets: plan.buckets, dimensions: gatewayOnly, gapFactor: config.gapFactor, scale: 1e9)
        if let metric = config.metrics.cost, let selector = plan.costSelector {
            try await read(
                metric: metric, selector: selector, rawQueries: plan.costQueries, plan: plan, now: now,
                summaries: true, into: &cost, session: &beside.session, skipsAbsent: true)
        }
        for (key, hours) in cost.usage {
            beside.gatewayCost[key.gateway] =
                zip(beside.gatewayCost[key.gateway] ?? Array(repeating: 0, count: hours.count), hours).map(+)
        }
        beside.costSeries = cost.seriesCount
        beside.catalogLookups = try await readCatalogLookups(
            config: config, plan: plan, now: now, session: &beside.session)
        beside.requests = try await readRequests(config: config, plan: plan, now: now, session: &beside.session)

        let increase = try await increaseAnswer
        beside.session.finish(
            QueryRecord(
                endpoint: "/api/v1/query", promql: plan.dashboardIncreaseQuery, time: to,
                windowStart: nil, windowEnd: nil, series: increase.series.count,
                samples: increase.series.count), increase.warnings)
        beside.increase = increase.series

        // The build of every target, for agentgateway's own cache convention where no configured
        // rule decides (a configured catch-all rule always decides).
        beside.builds = await buildAnswer
        if case .success(let builds)? = beside.builds {
            beside.session.records.append(
                QueryRecord(
                    endpoint: "/api/v1/series", promql: config.metrics.selector(for: OnlineHints.buildInfo),
                    time: to, windowStart: from, windowEnd: to,
                    series: builds.values.reduce(0) { $0 + $1.count }, samples: 0))
        }
        return beside
    }

    /// Each build's targets, or why they could not be read; `nil` without a `config` to read them for.
    private static func builds(_ config: ChargebackConfig?, client: any MetricsBackend, from: Date, to: Date) async
        -> Result<[String: Set<String>], any Error>?
    {
        guard let config else { return nil }
        do {
            return .success(try await OnlineHints.versions(config: config, client: client, from: from, to: to))
        } catch {
            return .failure(error)
        }
    }
}
