import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging

/// Measures whole UTC hours from Prometheus exactly as a report measures them, for the store.
///
/// The hours are measured as part of a longer span that starts
/// ``QueryPlan/edgeSeconds`` earlier and ends as much later (or at `now`): a gap up to that long
/// that touches a stored hour is then shared by time between real hours on both sides, as in a
/// report of the whole history, and never cut at the run's own edge. The report's own lookback
/// and lookahead are read around that span as usual.
struct HourMeasurement {
    let client: any MetricsBackend
    let config: ChargebackConfig
    let logger: Logger

    /// The measured hours, the series seen in them and their counter states at each hour's end.
    struct Result {
        var hours: [StoredHour]
        var series: [StoredSeries]
        /// By hour: the states at its end.
        var states: [Hour: [SeriesState]]
        /// Where the backend's data starts (ms), when after the measurement's read range starts.
        var dataStart: Int64?
        /// With `continuing`: what the continued series' first intervals add to the hours before
        /// the first hour (their share of a gap that began before the states' moment).
        var sharesBefore: [ShareBefore]
        var queries: [QueryRecord]
        var diagnostics: [Diagnostic]
    }

    /// Tokens a continued series' first interval adds to an hour before the continuation point.
    struct ShareBefore: Equatable {
        let hour: Hour
        let key: UsageKey
        let tokens: Int64
        /// The sample that closed the interval (ms): a stored hour measured before it lacks the share.
        let closedAt: Int64
    }

    /// - Parameters:
    ///   - hours: the hours to measure; not after `now`'s hour.
    ///   - now: the moment treated as now: no sample after it is read.
    ///   - continuing: the token series' stored states at the first hour's start: each continues from its state
    ///     (every token sample is then read raw).
    ///   - withStates: find the counter states at each hour's end (``HourEndStates``), for storing.
    func measure(
        _ measuredHours: Range<Hour>, now: Date, continuing: [SeriesState] = [], withStates: Bool = false
    ) async throws -> Result {
        let margin = TimeInterval(QueryPlan.edgeSeconds)
        let start = measuredHours.lowerBound.startDate.addingTimeInterval(-margin)
        let end = min(measuredHours.upperBound.startDate.addingTimeInterval(margin), now)
        let utc = TimeZone(identifier: "UTC")!
        let period = Period(
            label: "collect", start: start, end: max(end, measuredHours.upperBound.startDate), timeZone: utc)
        let plan = QueryPlan(config: config, period: period, now: now)
        var fetcher = UsageFetcher(client: client, logger: logger)
        fetcher.continuing = continuing
        fetcher.keepsHourEnds = withStates
        let measured = try await fetcher.fetch(plan: plan, config: config, now: now, allowEmpty: true)
        let buckets = plan.buckets
        let firstIndex = Hour(startSeconds: buckets.hourStarts[0]).distance(to: measuredHours.lowerBound)
        var hours: [StoredHour] = []
        for (offset, start) in measuredHours.enumerated() {
            let index = firstIndex + offset
            var hour = StoredHour(start: start)
            for (key, row) in measured.tokens where row[index] != 0 { hour.tokens[key] = row[index] }
            for (gateway, row) in measured.gatewayCostNanos where row[index] != 0 {
                hour.gatewayCostNanos[gateway] = row[index]
            }
            hour.samples = measured.hourSamples[index]
            hour.missedSamples = measured.hourMissedSamples[index]
            hour.sampled = hour.samples > 0
            hour.requests = measured.requests.map { requests in
                requests.compactMapValues { $0[index] != 0 ? $0[index] : nil }
            }
            hours.append(hour)
        }
        let fromMillis = measuredHours.startMillis
        let toMillis = measuredHours.endMillis
        // Hours are half-open on the left, as the counter math counts them: (start, end].
        func hourIndex(_ millis: Int64) -> Int? {
            guard millis > fromMillis && millis <= toMillis else { return nil }
            return measuredHours.lowerBound.distance(to: Hour(containingMillis: millis - 1))
        }
        let coverage = measured.coverage
        for reset in coverage.resets {
            guard let index = hourIndex(reset.at.millis) else { continue }
            hours[index].events.append(
                StoredEvent(
                    kind: .reset, series: reset.series, fromMillis: reset.at.millis,
                    toMillis: reset.at.millis))
        }
        for started in coverage.startedInPeriod {
            guard let index = hourIndex(started.at.millis) else { continue }
            hours[index].events.append(
                StoredEvent(
                    kind: .started, series: started.series, fromMillis: started.at.millis,
                    toMillis: started.at.millis))
        }
        // A gap is stored in the hour it starts in and in the hour it ends in (one row when
        // they are the same): each is measured with the whole gap in its read range, whichever
        // run measures it, so a store does not depend on where runs and batches were cut. A
        // report reading the store finds every gap that starts or ends in its period.
        for gap in coverage.gaps {
            let ends = Set([hourIndex(gap.from.millis + 1), hourIndex(gap.to.millis)].compactMap { $0 })
            for index in ends.sorted() {
                hours[index].events.append(
                    StoredEvent(
                        kind: .gap, series: gap.series, target: gap.target,
                        fromMillis: gap.from.millis, toMillis: gap.to.millis,
                        apportioned: gap.apportioned))
            }
        }
        let series = measured.seriesInPeriod.filter { $0.last >= fromMillis && $0.first < toMillis }
            .map { StoredSeries(identity: $0.identity, firstMillis: $0.first, lastMillis: $0.last) }
        let states =
            withStates
            ? try await HourEndStates.query(client: client, selector: plan.tokenSelector, hours: measuredHours)
                .states(measured, buckets: buckets, firstHour: firstIndex) : [:]
        var sharesBefore: [ShareBefore] = []
        for series in measured.continuedUsage {
            for (index, tokens) in series.hourly.prefix(firstIndex).enumerated() where tokens != 0 {
                sharesBefore.append(
                    ShareBefore(
                        hour: Hour(startSeconds: buckets.hourStarts[index]), key: series.key, tokens: tokens,
                        closedAt: series.firstSampleMillis))
            }
        }
        // The edge warnings speak of the measured span, not of a report's period: left out.
        let edges = Set(UsageFetcher.edgeWarnings(coverage, period: period).map(\.message))
        return Result(
            hours: hours, series: series, states: states, dataStart: coverage.dataStart?.millis,
            sharesBefore: sharesBefore, queries: measured.queries,
            diagnostics: measured.diagnostics.filter { !edges.contains($0.message) })
    }
}
