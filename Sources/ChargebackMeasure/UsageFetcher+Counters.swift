import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// The counters read besides the token counter's classic series: the native histogram behind it,
/// the requests, agentgateway's catalog lookups; each found by a series lookup first.
extension UsageFetcher {
    /// The series of `selector` over the plan's read range (split within the backend's series
    /// limit), the lookup recorded for the manifest.
    func lookUp(_ selector: String, plan: QueryPlan, session: inout Session) async throws -> [[String: String]] {
        let (from, to) = (Date(millis: plan.grid.startMillis), Date(millis: plan.grid.endMillis))
        let found = try await SeriesLookup(client: client, splitLabels: session.splitLabels).series(
            selector, start: from, end: to)
        session.records.append(
            QueryRecord(
                endpoint: "/api/v1/series", promql: selector, time: to, windowStart: from, windowEnd: to,
                series: found.count, samples: 0))
        return found
    }

    /// agentgateway's catalog lookups (``CatalogLookups/metric``) in the period per gateway
    /// and status, exact, when the backend lists the counter in the read range.
    func readCatalogLookups(config: ChargebackConfig, plan: QueryPlan, now: Date, session: inout Session)
        async throws -> [String: [String: Int64]]
    {
        let selector = config.metrics.selector(for: CatalogLookups.metric)
        let found = try await lookUp(selector, plan: plan, session: &session)
        guard !found.isEmpty else { return [:] }
        var lookups = UsageAccumulator(
            buckets: plan.buckets, dimensions: UsageDimensions(labels: config.metrics.labels, extraLabels: ["status"]),
            gapFactor: config.gapFactor)
        try await read(
            metric: CatalogLookups.metric, selector: selector,
            rawQueries: NativeHistograms.rawQueries(plan.tokenQueries, selector: selector), plan: plan, now: now,
            summaries: true, into: &lookups, session: &session)
        var result: [String: [String: Int64]] = [:]
        for (key, hours) in lookups.usage {
            result[key.gateway, default: [:]][key.extras.first ?? "", default: 0] += hours.reduce(0, +)
        }
        return result
    }

    /// Reads the native histogram behind the token counter (when `metrics.tokens` is a histogram's
    /// `_sum` and the backend lists series of it in the read range) into `accumulator`, its series
    /// tagged as native. Returns whether it found any.
    func readNative(
        config: ChargebackConfig, plan: QueryPlan, now: Date, into accumulator: inout UsageAccumulator,
        session: inout Session
    ) async throws -> Bool {
        guard let name = NativeHistograms.name(config: config),
            let selector = NativeHistograms.selector(config: config),
            !client.isVictoriaMetrics
        else { return false }
        let found = try await lookUp(selector, plan: plan, session: &session)
        guard !found.isEmpty else { return false }
        accumulator.seriesTag = (NativeHistograms.kindLabel, NativeHistograms.kindValue)
        defer { accumulator.seriesTag = nil }
        try await read(
            metric: name, selector: selector,
            rawQueries: NativeHistograms.rawQueries(plan.tokenQueries, selector: selector),
            plan: plan, now: now, summaries: continuing.isEmpty, into: &accumulator, session: &session,
            native: true, settlesEdge: false)
        return true
    }

    /// The requests of the period per hour and `input` key (``RequestCounter``), read exactly like
    /// the tokens (summaries where exact, raw samples otherwise; the classic `_count`, then the
    /// native histogram's `count`, each series by its kind), or `nil` when `metrics.requests` is
    /// unset or the backend lists no series of either in the read range.
    func readRequests(config: ChargebackConfig, plan: QueryPlan, now: Date, session: inout Session)
        async throws -> [UsageKey: [Int64]]?
    {
        guard let metric = config.metrics.requests else { return nil }
        let selector = RequestCounter.selector(metric: metric, settings: config.metrics)
        var requests = UsageAccumulator(
            buckets: plan.buckets, dimensions: config.dimensions, gapFactor: config.gapFactor)
        var measured = false
        if try await !lookUp(selector, plan: plan, session: &session).isEmpty {
            measured = true
            try await read(
                metric: metric, selector: selector,
                rawQueries: NativeHistograms.rawQueries(plan.tokenQueries, selector: selector), plan: plan, now: now,
                summaries: true, into: &requests, session: &session, settlesEdge: false)
        }
        if let name = RequestCounter.nativeName(metric), !client.isVictoriaMetrics {
            let native = RequestCounter.selector(metric: name, settings: config.metrics)
            if try await !lookUp(native, plan: plan, session: &session).isEmpty {
                measured = true
                requests.seriesTag = (NativeHistograms.kindLabel, NativeHistograms.kindValue)
                try await read(
                    metric: name, selector: native,
                    rawQueries: NativeHistograms.rawQueries(plan.tokenQueries, selector: native), plan: plan, now: now,
                    summaries: true, into: &requests, session: &session, native: true, countsObservations: true,
                    settlesEdge: false)
                requests.seriesTag = nil
            }
        }
        guard measured else { return nil }
        requests.settleDataEdge(readFromMillis: plan.grid.startMillis)
        return requests.usage
    }
}
