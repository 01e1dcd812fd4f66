import ChargebackModel
import Foundation

/// The parts of the Markdown report written for a team lead before the detail: the report in three
/// plain sentences, and the data-quality events and hot hours told by name and as runs.
enum MarkdownSummary {
    /// What is counted, what is not covered, how sure the figures are.
    static func inShort(_ report: Report, team: String?) -> [String: Any] {
        let coverage = report.coverage
        let zone = report.period.timeZone
        let who = team.map { "\($0)'s share of " } ?? ""
        let counted =
            "\(report.currency.format(report.roundedTotal)) is \(who)the AI gateway usage of \(report.period.label): "
            + "\(Formatting.count(report.billableTokens)) billable tokens on \(report.byGateway.count) gateway(s), "
            + "counted exactly from the gateways' token counters (no estimate, no extrapolation) and priced at "
            + "the price book's prices" + (team == nil ? "; the teams' amounts add up to it to the cent." : ".")
        var gaps: [String] = []
        if report.partial {
            gaps.append("the time after \(DateText.rfc3339(report.generatedAt, in: zone)) (the period is not over)")
        }
        if coverage.periodStartsBeforeData, let start = coverage.dataStart {
            gaps.append("the time before \(DateText.rfc3339(start, in: zone)), where the backend holds no data")
        }
        let blind = coverage.blindSpans.reduce(0) { $0 + $1.hours }
        if blind > 0 { gaps.append("\(blind) hour(s) in which no gateway was scraped") }
        let unpriced = report.lines.filter { $0.unpriced && $0.tokens != 0 }
        if !unpriced.isEmpty {
            gaps.append(
                "\(Formatting.count(unpriced.reduce(0) { $0 + $1.tokens })) tokens of models without a price (cost 0)")
        }
        let unallocated = report.allocation.rows.filter { $0.team == TeamBook.unallocatedName }
            .reduce(Decimal(0)) { $0 + $1.cost }
        if unallocated != 0 && team == nil {
            gaps.append(
                "\(report.currency.format(unallocated)) no team rule maps (shown as \(TeamBook.unallocatedName))")
        }
        let notCovered =
            gaps.isEmpty
            ? "Nothing the counters can see is missing (responses streamed without a usage block add no "
                + "tokens anywhere, so no report can count them)."
            : gaps.joined(separator: "; ").prefix(1).uppercased() + gaps.joined(separator: "; ").dropFirst() + "."
        let counts: [(Int, String)] = [
            (coverage.resets.count, "counter reset(s)"), (coverage.startedInPeriod.count, "series that started"),
            (coverage.stoppedInPeriod.count, "series that stopped"), (coverage.gapWindows.count, "scrape gap(s)"),
        ]
        let events: [String] = counts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        var sure = "\(Formatting.percent(coverage.ratio)) of the expected samples were there"
        if !events.isEmpty { sure += "; " + events.joined(separator: ", ") + ", each counted exactly (Data quality)" }
        if let spread = dashboardSpread(report) {
            sure += "; a dashboard's increase() would be off by up to \(spread)"
        }
        sure += "."
        return ["counted": counted, "notCovered": notCovered, "sure": sure]
    }

    /// The largest relative difference of `increase()` from the exact count, as `0.412 %`.
    private static func dashboardSpread(_ report: Report) -> String? {
        let spreads = report.reconciliation.dashboard.compactMap(\.relativeDifference).map(abs)
        return spreads.max().map { String(format: "%.3f %%", $0 * 100) }
    }

    /// Resets, series started and stopped, by the pod (or instance) they belong to: one row per
    /// event kind, target and time, with how many series; then each pod replaced by another of the
    /// same gateway (its series stopped and the other's started within an hour of each other).
    static func seriesEvents(_ report: Report) -> [[String: Any]] {
        let zone = report.period.timeZone
        let coverage = report.coverage
        let gatewayLabel = report.facts.labels.gateway
        struct Group {
            var first: Date
            var count: Int
            let gateway: String?
        }
        var rows: [[String: Any]] = []
        var byKind: [String: [String: Group]] = [:]
        for (kind, events) in [
            ("Counter reset", coverage.resets), ("Series started", coverage.startedInPeriod),
            ("Series stopped", coverage.stoppedInPeriod),
        ] {
            var groups: [String: Group] = [:]
            for event in events {
                let key = target(of: event.series)
                let gateway = Coverage.value(of: gatewayLabel, in: event.series)
                var group = groups[key] ?? Group(first: event.at, count: 0, gateway: gateway)
                group.first = min(group.first, event.at)
                group.count += 1
                groups[key] = group
            }
            byKind[kind] = groups
            for (name, group) in groups.sorted(by: { ($0.value.first, $0.key) < ($1.value.first, $1.key) }) {
                rows.append([
                    "kind": kind, "target": name, "series": String(group.count),
                    "at": DateText.rfc3339(group.first, in: zone),
                ])
            }
        }
        let started = byKind["Series started"] ?? [:]
        for (old, stop) in (byKind["Series stopped"] ?? [:]).sorted(by: { $0.value.first < $1.value.first }) {
            guard
                let (new, start) = started.filter({
                    $0.key != old && $0.value.gateway == stop.gateway
                        && abs($0.value.first.timeIntervalSince(stop.first)) < TimeInterval(Hour.seconds)
                }).min(by: { $0.value.first < $1.value.first })
            else { continue }
            rows.append([
                "kind": "Pod replaced", "target": "\(old) by \(new)", "series": String(start.count),
                "at": DateText.rfc3339(start.first, in: zone),
            ])
        }
        return rows
    }

    /// The `pod` (else `instance`) label of a series written as PromQL (`{pod="a-1",…}`).
    static func target(of series: String) -> String {
        Coverage.value(of: "pod", in: series) ?? Coverage.value(of: "instance", in: series) ?? series
    }

    /// Hours whose pace reaches the daily threshold, as runs of consecutive hours:
    /// `2026-10-07T09:00:00Z to 15:00 (6 h), peak pace $72.00 a day`.
    static func hotHourRuns(_ checks: [ThresholdCheck], zone: TimeZone, currency: Currency) -> [String] {
        var runs: [(start: Date, end: Date, peak: Decimal, hours: Int)] = []
        for check in checks.sorted(by: { $0.start < $1.start }) {
            if let last = runs.last, last.end == check.start {
                runs[runs.count - 1] = (last.start, check.end, max(last.peak, check.cost), last.hours + 1)
            } else {
                runs.append((check.start, check.end, check.cost, 1))
            }
        }
        return runs.map { run in
            "\(DateText.rfc3339(run.start, in: zone)) to \(DateText.rfc3339(run.end, in: zone)) (\(run.hours) h), "
                + "peak pace \(currency.format(run.peak)) a day"
        }
    }
}
