import ChargebackConfig
import ChargebackModel
import Foundation

extension UsageFetcher {
    /// Counters that ran before their first scrape (``LateStart``): a first value inside the period
    /// is shared back to the counter's start; for a report read from the backend (not the usage
    /// store, whose stored hours stay as measured), a first value after the period gives the
    /// period its part too (``FirstScrapeAfterPeriod``). Returns what was shared and the first
    /// values no start was found for (left at their sample), for the warnings.
    func shareLateStarts(
        into tokens: inout UsageAccumulator, config: ChargebackConfig, plan: QueryPlan, now: Date,
        session: inout Session
    ) async throws -> (shared: [LateStart.Shared], unshared: [LateStart.FirstValue]) {
        let readStart = Date(millis: plan.grid.startMillis)
        let buildInfo = config.metrics.selector(for: OnlineHints.buildInfo)
        var shared: [LateStart.Shared] = []
        var unshared: [LateStart.FirstValue] = []
        let inPeriod = try await unscraped(
            tokens.lateFirstValues, buildInfo: buildInfo, from: readStart, session: &session)
        if !inPeriod.isEmpty {
            let starts = try await podStarts(
                inPeriod, from: readStart, to: Date(millis: plan.grid.endMillis), session: &session)
            let (shareable, unknown) = try await trusted(inPeriod, starts, plan: plan, session: &session)
            shared += tokens.shareLateStarts(shareable, podStarts: starts)
            unshared += unknown
        }
        guard continuing.isEmpty, !keepsHourEnds else { return (shared, unshared) }
        let (found, records) = try await FirstScrapeAfterPeriod(client: client, plan: plan).firstValues(
            selector: plan.tokenSelector, dimensions: config.dimensions, gapFactor: config.gapFactor,
            sampled: tokens.sampled(upTo: plan.period.end.millis), now: now)
        session.records += records
        let after = try await unscraped(found, buildInfo: buildInfo, from: readStart, session: &session)
        if let last = after.map(\.millis).max() {
            let starts = try await podStarts(after, from: readStart, to: Date(millis: last), session: &session)
            let (shareable, unknown) = try await trusted(after, starts, plan: plan, session: &session)
            shared += tokens.shareFirstValuesAfterPeriod(shareable, podStarts: starts)
            unshared += unknown
        }
        return (shared, unshared)
    }

    /// `firsts` with a start to share from, and those without one. A start estimated before the
    /// backend holds any sample of the counter's metric is dropped (the value stays at its sample,
    /// as before): monitoring began for every target there, so a series first seen after it may
    /// have been born any time since, and sparse traffic after a first request makes the estimate
    /// reach back; a pod start from kube-state-metrics is a fact and is kept.
    private func trusted(
        _ firsts: [LateStart.FirstValue], _ starts: LateStart.PodStarts, plan: QueryPlan, session: inout Session
    ) async throws -> (shareable: [LateStart.FirstValue], unknown: [LateStart.FirstValue]) {
        var shareable: [LateStart.FirstValue] = []
        var unknown: [LateStart.FirstValue] = []
        for first in firsts {
            guard let start = LateStart.start(of: first, podStarts: starts) else {
                unknown.append(first)
                continue
            }
            if start.source == .estimate {
                let at = Date(millis: start.millis)
                let promql = "count_over_time(\(plan.tokenSelector)[\(QueryPlan.farEdgeSeconds * 1000)ms])"
                let answer = try await client.query(promql, at: at)
                session.records.append(
                    QueryRecord(
                        endpoint: "/api/v1/query", promql: promql, time: at, windowStart: nil, windowEnd: nil,
                        series: answer.series.count, samples: answer.series.count))
                guard !answer.series.isEmpty else { continue }
            }
            shareable.append(first)
        }
        return (shareable, unknown)
    }

    /// `firsts` less those on targets agentgateway's build info shows scraped before them.
    private func unscraped(
        _ firsts: [LateStart.FirstValue], buildInfo: String, from: Date, session: inout Session
    ) async throws -> [LateStart.FirstValue] {
        guard !firsts.isEmpty else { return [] }
        let (kept, records) = try await PodStartLookup.unscrapedBefore(
            firsts, buildInfo: buildInfo, client: client, from: from)
        session.records += records
        return kept
    }

    private func podStarts(_ firsts: [LateStart.FirstValue], from: Date, to: Date, session: inout Session)
        async throws -> LateStart.PodStarts
    {
        let (starts, records) = try await PodStartLookup.starts(for: firsts, client: client, from: from, to: to)
        session.records += records
        return starts
    }
}
