import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// One period measured, priced and allocated: what a report is built from, and all a comparison,
/// a trend or a forecast needs of a past period.
public struct PeriodMeasurement: Sendable {
    public let period: Period
    public let plan: QueryPlan
    public let measured: MeasuredUsage
    /// Priced usage per key, hour by hour, at the prices in force in that period.
    public let lines: [CostLine]
    public let pricingDiagnostics: [Diagnostic]
    /// The `input_includes_cache` rules that decided some hour.
    public let cacheRules: [CacheRuleUse]
    public let allocation: Allocation
    /// How the period was costed: its price book, exchange rate and minor unit.
    public let costing: Costing
    /// Which hours came from the usage store and which from Prometheus; empty when no store was read.
    public var sources: [UsageSourceSpan] = []
    /// With `attribution:`, the request log's coverage (``measured`` is then keyed by identity too).
    public var attribution: AttributionSummary?

    /// The exchange rate from the price book's currency into the report's for this period.
    public var conversion: Conversion { costing.conversion }

    /// Whether any sample of the token counter fell in the period.
    public var hasData: Bool { measured.coverage.samples > 0 || lines.contains { $0.tokens != 0 } }
}

extension ReportPipeline {
    /// Measures `period` with the exact method, prices it with the prices then in force and
    /// allocates it with the team file: the one place a period's figures come from, for the
    /// report's own period and for every past period it is compared with.
    /// - Parameters:
    ///   - now: the run time; figures stop there.
    ///   - hourly: a ledger of hours rather than days.
    ///   - allowEmpty: accept a counter with no series (a past period before the data).
    ///   - phase: what the period is measured for, in the progress (``FetchProgress``).
    /// - Throws: ``FetchError`` from Prometheus, ``InputError`` for unpriced or unallocated usage
    ///   the files refuse.
    public func measure(
        _ period: Period, now: Date, hourly: Bool, allowEmpty: Bool, phase: String
    ) async throws -> PeriodMeasurement {
        // Plan: the period's hours, windows and queries.
        let plan = QueryPlan(config: config, period: period, now: now)
        logger.info(
            "plan",
            metadata: [
                "period": .string(period.label),
                "plan": .string(config.prometheus.plan.rawValue),
                "hours": .stringConvertible(plan.grid.hourCount),
            ])
        // Measured usage: exact hourly token increases per key, coverage, the queries run; from the
        // store's hours where it has them.
        var (measured, sources) = try await usage(plan, now: now, allowEmpty: allowEmpty, phase: phase)
        // Attribution: the counted tokens split among the identities of agentgateway's request log.
        let attribution = try await attribute(&measured, buckets: plan.buckets)
        // Cost lines: each hour priced at the prices in force, converted; then allocated to teams.
        let costing = try Costing(config: config, period: period)
        let priced = try costing.price(measured.tokens, buckets: plan.buckets, newerBuilds: measured.newerBuilds)
        let allocation = try costing.allocate(
            priced.lines, buckets: plan.buckets, hourly: hourly, requests: measured.requests)
        return PeriodMeasurement(
            period: period, plan: plan, measured: measured, lines: priced.lines,
            pricingDiagnostics: priced.diagnostics, cacheRules: priced.cacheRules, allocation: allocation,
            costing: costing, sources: sources, attribution: attribution)
    }

    /// The measured-usage stage: Prometheus alone without a store (or with `--source prometheus`),
    /// else stored hours and Prometheus for the rest (``UsageSources``).
    private func usage(_ plan: QueryPlan, now: Date, allowEmpty: Bool, phase: String) async throws -> (
        MeasuredUsage, [UsageSourceSpan]
    ) {
        if let store, let settings = config.store, source != .prometheus {
            if let reason = try await UsageSources.unusableReason(plan, store: store, config: config) {
                if source == .store { throw StoreError.incompatible(location: settings.displayName, reason) }
                diagnostics.emit(.note("the usage store \(settings.displayName) was not read: \(reason)"))
            } else {
                let assembled = try await UsageSources(
                    store: store, storeName: settings.displayName, client: client,
                    config: config, logger: logger
                )
                .measure(plan: plan, now: now, storeOnly: source == .store)
                return (assembled.measured, assembled.spans)
            }
        }
        let report = progress.map { report in
            { @Sendable (done: Int, total: Int) in report(FetchProgress(phase: phase, done: done, total: total)) }
        }
        let measured = try await UsageFetcher(client: client, logger: logger, progress: report)
            .fetch(plan: plan, config: config, now: now, allowEmpty: allowEmpty)
        return (measured, [])
    }
}
