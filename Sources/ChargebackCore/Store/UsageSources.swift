import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Logging

/// The measured-usage stage when a store is configured: stored hours where the store has them,
/// hours measured from Prometheus (as `collect` measures them) for the rest.
struct UsageSources {
    let store: any UsageStore
    let storeName: String
    let client: any MetricsBackend
    let config: ChargebackConfig
    let logger: Logger

    struct Assembled {
        let measured: MeasuredUsage
        let spans: [UsageSourceSpan]
    }

    /// Whether the store can serve `plan`'s hours at all: every bucket a whole UTC hour, and the
    /// store's keys made of the labels the config reads.
    /// - Returns: `nil` when it can, else why not.
    static func unusableReason(_ plan: QueryPlan, store: any UsageStore, config: ChargebackConfig) async throws
        -> String?
    {
        let buckets = plan.buckets
        guard buckets.hourStarts.allSatisfy({ Hour(startSeconds: $0).start == $0 }),
            Hour(containingMillis: buckets.endMillis).startMillis == buckets.endMillis
        else {
            return
                "its hours are whole UTC hours, and the period's hours in \(buckets.period.timeZone.reportName) are not"
        }
        let dimensions = config.dimensions
        if let stored = try await store.dimensions(), stored != StoreKeys.signature(dimensions) {
            return "it was collected with the labels \(stored); the config and team file now read "
                + StoreKeys.signature(dimensions)
        }
        return nil
    }

    /// - Parameter storeOnly: serve only stored hours; the others are reported as missing.
    func measure(plan: QueryPlan, now: Date, storeOnly: Bool) async throws -> Assembled {
        let buckets = plan.buckets
        let start = Hour(startSeconds: buckets.hourStarts.first ?? 0)
        let end = Hour(containingMillis: buckets.endMillis)
        let period = start..<max(start, min(end, Hour.starting(atOrAfter: now)))
        var hours = try await store.read(period)
        let storedStarts = Set(hours.map(\.start))
        let missing = period.filter { !storedStarts.contains($0) }
        var diagnostics: [Diagnostic] = []
        var queries: [QueryRecord] = []
        var series = try await store.series(overlapping: period.startMillis, period.endMillis)
        var prometheusHours = Set<Hour>()
        if !missing.isEmpty && !storeOnly {
            let measurement = HourMeasurement(client: client, config: config, logger: logger)
            for batch in Collector.batches(missing) {
                let result = try await measurement.measure(batch, now: now)
                hours += result.hours
                queries += result.queries
                diagnostics += result.diagnostics
                let known = Set(series.map(\.identity))
                series += result.series.filter { !known.contains($0.identity) }
                prometheusHours.formUnion(result.hours.map(\.start))
            }
        } else if !missing.isEmpty {
            let stretches = Collector.batches(missing).map { "\($0.lowerBound) to \($0.upperBound)" }
            diagnostics.append(
                .warning(
                    "\(missing.count) hour(s) of the period are not in the store \(storeName) "
                        + "(\(stretches.joined(separator: ", "))): "
                        + "they count no usage; run `chargeback collect` while Prometheus still holds them"))
        }
        hours.sort { $0.start < $1.start }
        var measured = Self.assemble(
            hours, series: series, buckets: buckets, now: now, gapFactor: config.gapFactor,
            queries: queries, diagnostics: diagnostics)
        let replaced = try await store.replacements(in: period)
        if !replaced.isEmpty {
            let net = replaced.reduce(Int64(0)) { $0 + $1.newTokens - $1.oldTokens }
            let changedHours = Set(replaced.map(\.hour)).count
            measured = measured.adding(
                .note(
                    "\(replaced.count) stored figure(s) in \(changedHours) hour(s) of the period "
                        + "were measured again after they were first collected "
                        + "(\(net >= 0 ? "+" : "")\(net) tokens in all; "
                        + "last on \(DateText.utc(replaced.map(\.at).max()!))): `chargeback store status` lists them"))
        }
        return Assembled(measured: measured, spans: Self.sourceSpans(hours, prometheus: prometheusHours))
    }

    /// Hourly figures of the report's buckets from stored (or just measured) hours.
    static func assemble(
        _ hours: [StoredHour], series: [StoredSeries], buckets: Buckets, now: Date, gapFactor: Double,
        queries: [QueryRecord], diagnostics: [Diagnostic]
    ) -> MeasuredUsage {
        let start = Hour(startSeconds: buckets.hourStarts.first ?? 0)
        var tokens: [UsageKey: [Int64]] = [:]
        var cost: [String: [Int64]] = [:]
        var coverage = Coverage()
        var sampled = Array(repeating: false, count: buckets.hourCount)
        // Requests only when every hour read has them: a count of part of the period is not its requests.
        var requests: [UsageKey: [Int64]]? = hours.isEmpty ? nil : [:]
        var gaps = Set<StoredEvent>()
        for hour in hours {
            let index = start.distance(to: hour.start)
            guard index >= 0 && index < buckets.hourCount else { continue }
            for (key, value) in hour.tokens {
                tokens[key, default: Array(repeating: 0, count: buckets.hourCount)][index] += value
            }
            if let counts = hour.requests, requests != nil {
                for (key, value) in counts {
                    requests![key, default: Array(repeating: 0, count: buckets.hourCount)][index] += value
                }
            } else {
                requests = nil
            }
            for (gateway, value) in hour.gatewayCostNanos {
                cost[gateway, default: Array(repeating: 0, count: buckets.hourCount)][index] += value
            }
            coverage.samples += hour.samples
            coverage.missedSamples += hour.missedSamples
            sampled[index] = hour.sampled
            for event in hour.events {
                switch event.kind {
                case .reset: coverage.resets.append(.init(series: event.series, at: Date(millis: event.fromMillis)))
                case .started:
                    coverage.startedInPeriod.append(.init(series: event.series, at: Date(millis: event.fromMillis)))
                case .gap: gaps.insert(event)
                }
            }
        }
        coverage.gaps = gaps.sorted { ($0.series, $0.fromMillis) < ($1.series, $1.fromMillis) }.map {
            .init(
                series: $0.series, target: $0.target, from: Date(millis: $0.fromMillis), to: Date(millis: $0.toMillis),
                apportioned: $0.apportioned)
        }
        let endMillis = min(buckets.endMillis, now.millis)
        coverage.series = series.count
        let slack = Int64(Double(CounterTracker.defaultGapMillis) * gapFactor)
        coverage.stoppedInPeriod = series.filter {
            $0.lastMillis < endMillis - slack && $0.lastMillis >= buckets.startMillis
        }
        .map { .init(series: $0.identity, at: Date(millis: $0.lastMillis)) }
        let expected = (0..<buckets.hourCount).prefix {
            buckets.hourStarts[$0] * 1000 + CounterTracker.defaultGapMillis < endMillis
        }
        coverage.expectedHours = expected.count
        var hour = 0
        while hour < expected.count {
            guard !sampled[hour] else {
                hour += 1
                continue
            }
            var last = hour
            while last + 1 < expected.count && !sampled[last + 1] { last += 1 }
            let from = buckets.hourStart(hour)
            let to = Date(millis: buckets.hourEndMillis(last))
            let bridged = coverage.gaps.contains { $0.from < to && $0.to > from }
            coverage.uncovered.append(
                .init(from: from, to: to, hours: last - hour + 1, bridged: bridged, beforeData: false))
            hour = last + 1
        }
        var notes = diagnostics
        notes += UsageFetcher.edgeWarnings(coverage, period: buckets.period)
        var measured = MeasuredUsage(
            tokens: tokens, coverage: coverage, gatewayCostNanos: cost, dashboardIncrease: [],
            queries: queries, diagnostics: notes)
        measured.requests = requests
        return measured
    }

    /// Which stretches of `hours` came from the store and which from Prometheus.
    static func sourceSpans(_ hours: [StoredHour], prometheus: Set<Hour>) -> [UsageSourceSpan] {
        var spans: [UsageSourceSpan] = []
        var index = 0
        while index < hours.count {
            let source: UsageSourceSpan.Source = prometheus.contains(hours[index].start) ? .prometheus : .store
            var last = index
            while last + 1 < hours.count, hours[last + 1].start == hours[last].start.next,
                prometheus.contains(hours[last + 1].start) == (source == .prometheus)
            { last += 1 }
            let collected = hours[index...last].compactMap { $0.info?.collectedAt }
            spans.append(
                UsageSourceSpan(
                    source: source, from: hours[index].start.startDate, to: hours[last].start.endDate,
                    hours: last - index + 1, collectedFrom: collected.min(), collectedTo: collected.max()))
            index = last + 1
        }
        return spans
    }
}

extension MeasuredUsage {
    func adding(_ diagnostic: Diagnostic) -> MeasuredUsage {
        var copy = MeasuredUsage(
            tokens: tokens, coverage: coverage, gatewayCostNanos: gatewayCostNanos,
            dashboardIncrease: dashboardIncrease, queries: queries, diagnostics: diagnostics + [diagnostic])
        copy.hourSamples = hourSamples
        copy.hourMissedSamples = hourMissedSamples
        copy.seriesInPeriod = seriesInPeriod
        copy.requests = requests
        return copy
    }
}
