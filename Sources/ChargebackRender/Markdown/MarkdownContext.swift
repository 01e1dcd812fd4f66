import ChargebackModel
import Foundation

/// The values a Markdown template sees: pre-formatted text, lists and flags (see `templates/`).
enum MarkdownContext {
    /// - Parameter team: the team of a per-team pack, `nil` for the whole organisation.
    static func make(_ report: Report, reproduce: String, team: String? = nil) -> [String: Any] {
        let currency = report.currency
        let zone = report.period.timeZone
        let assessment = report.assessment
        let thresholds = assessment.thresholds
        let days: [[String: Any]] = report.byDay.map { day in
            let check = assessment.check(.total, .day, startingAt: day.day.start)
            return [
                "date": DateText.day(day.day.start, in: zone), "tokens": Formatting.count(day.billableTokens),
                "cost": currency.format(day.cost),
                "flag": check.map { flag($0, adjective: "daily ", in: currency) } ?? "",
            ]
        }
        let teams: [[String: Any]] = report.budgets.map { status in
            var flag = status.status.rawValue
            if status.status == .exceeded {
                flag = "⚠ exceeded" + (status.charged == status.budget ? " (reached)" : "")
            } else if status.status == .warning {
                flag = "⚠ warning (≥ 80 %)"
            }
            return [
                "name": status.group.name, "costCenter": status.team?.costCenter ?? "",
                "tokens": Formatting.count(status.group.billableTokens), "cost": currency.format(status.group.cost),
                "budget": status.budget.map(currency.format) ?? "",
                "used": status.usedPercent.map { DecimalText.plain($0, minScale: 1) + " %" } ?? "",
                "status": flag,
            ]
        }
        let coverage = report.coverage
        // A total order (gap windows of one target may start together), so re-runs print the same bytes.
        let windows = coverage.gapWindows.sorted {
            ($0.from, $0.target, $0.to, $0.series) < ($1.from, $1.target, $1.to, $1.series)
        }
        let gapList: [[String: Any]] = windows.map { gap in
            [
                "target": gap.target, "series": String(gap.series), "from": DateText.rfc3339(gap.from, in: zone),
                "to": DateText.rfc3339(gap.to, in: zone), "length": Formatting.duration(seconds: gap.seconds),
                "shared": gap.apportioned ? "yes" : "no",
            ]
        }
        let reconciliation: [[String: Any]] = report.reconciliation.dashboard.map { row in
            [
                "gateway": row.gateway, "tokenType": row.tokenType, "increase": String(format: "%.2f", row.increase),
                "exact": Formatting.count(row.exact),
                "difference": row.relativeDifference.map { String(format: "%+.3f %%", $0 * 100) } ?? "n/a",
            ]
        }
        let gatewayCost: [[String: Any]] = report.reconciliation.gatewayCost.map { row in
            [
                "gateway": row.gateway, "reported": currency.format(row.gatewayReported),
                "computed": currency.format(row.computed),
                "difference": currency.format(row.difference),
            ]
        }
        let breaches = report.breachSentences
        let totalChecks = assessment.checks(of: .total)
        let weeks: [[String: Any]] = totalChecks.filter { $0.window == .week || $0.window == .month }.map { check in
            [
                "week": check.window == .week
                    ? WeekName.withDates(start: check.start, end: check.end, in: zone) : monthName(check, zone),
                "start": DateText.day(check.start, in: zone), "cost": currency.format(check.cost),
                "threshold": check.threshold.map(currency.format) ?? "", "flag": flag(check, in: currency),
            ]
        }
        let peaks: [[String: Any]] = totalChecks.filter { $0.window == .rolling24h || $0.window == .rolling7d }.map {
            check in
            [
                "window": check.window == .rolling24h ? "24 hours" : "7 days",
                "end": DateText.rfc3339(check.end, in: zone),
                "cost": currency.format(check.cost), "threshold": check.threshold.map(currency.format) ?? "",
                "flag": flag(check, in: currency),
            ]
        }
        let hotHours = totalChecks.filter { $0.window == .hourProjection }
        let events = MarkdownSummary.seriesEvents(report)
        let dailyChart = MarkdownCharts.daily(report)
        let teamChart = team == nil ? MarkdownCharts.teams(report) : ""
        let withoutCost = report.byGateway.map(\.name).filter { name in
            !report.reconciliation.gatewayCost.contains { $0.gateway == name }
        }.map { MarkdownPricingView.named($0, report.reconciliation.pricing) }
        let blind = coverage.blindSpans
        let diagnostics: [[String: Any]] = report.diagnostics.map {
            ["severity": $0.severity.rawValue, "message": $0.message]
        }
        var context: [String: Any] = [
            "period": report.period.label,
            "periodStart": DateText.rfc3339(report.period.start, in: zone),
            "periodEnd": DateText.rfc3339(report.period.end, in: zone),
            "timeZone": zone.reportName,
            // The run time is in the manifest; the default template leaves it out so that re-runs on
            // the same data give the same bytes. `dataEnd` is where a partial period's figures stop.
            "generatedAt": DateText.rfc3339(report.generatedAt, in: zone),
            "dataEnd": DateText.rfc3339(min(report.period.end, report.generatedAt), in: zone),
            "team": team ?? false,
            "toolVersion": report.toolVersion,
            "partial": report.partial,
            "dataStartsLate": coverage.periodStartsBeforeData,
            "coveredFrom": coverage.dataStart.map { DateText.rfc3339($0, in: zone) } ?? "",
            "hasBlindHours": !blind.isEmpty,
            "blindHours": String(blind.reduce(0) { $0 + $1.hours }),
            "blindSpans": blind.map { "\(DateText.rfc3339($0.from, in: zone)) to \(DateText.rfc3339($0.to, in: zone))" }
                .joined(separator: ", "),
            // The config's URL: a `--prometheus-url` of the run is in the manifest only.
            "prometheusURL": report.facts.configuredPrometheusURL,
            "prometheusOverride": report.facts.prometheusOverridden,
            "total": [
                // The chargeback total (the teams' cents add up to it); the exact figure is `exactCost`.
                "cost": currency.format(report.roundedTotal), "cents": currency.format(report.roundedTotal),
                "exactCost": DecimalText.plain(report.totalCost, minScale: 6),
                "tokens": Formatting.count(report.billableTokens),
                "measuredTokens": Formatting.count(report.totalTokens),
                "allocatedTokens": Formatting.count(report.allocation.rows.reduce(0) { $0 + $1.billableTokens }),
            ],
            "gatewayCount": String(report.byGateway.count),
            "changes": MarkdownChanges.make(report),
            "trend": MarkdownTrend.make(report),
            "forecast": MarkdownForecast.make(report),
            "teams": teams,
            "gateways": report.byGateway.map { kindColumns($0, currency) },
            "models": report.byModel.map { kindColumns($0, currency) },
            "labelGroups": labelGroups(report), "identities": MarkdownIdentities.make(report),
            "days": days,
            "breaches": breaches,
            "hasBreaches": !breaches.isEmpty,
            "weeks": weeks,
            "peaks": peaks,
            "hotHours": String(hotHours.count),
            "hotHoursLimit": (thresholds.hourlyProjectionPerDay ?? thresholds.daily).map(currency.format) ?? "",
            "hasPaceThreshold": (thresholds.hourlyProjectionPerDay ?? thresholds.daily) != nil,
            "hasHotHours": !hotHours.isEmpty,
            "hotHourRuns": MarkdownSummary.hotHourRuns(hotHours, zone: zone, currency: currency),
            "hasThresholds": totalChecks.contains { $0.threshold != nil },
            "hasDailyThreshold": thresholds.daily != nil,
            "dailyLimit": thresholds.daily.map(currency.format) ?? "",
            "inShort": MarkdownSummary.inShort(report, team: team),
            "dailyChart": dailyChart, "hasDailyChart": !dailyChart.isEmpty,
            "teamChart": teamChart, "hasTeamChart": !teamChart.isEmpty,
            "seriesEvents": events,
            "hasSeriesEvents": !events.isEmpty,
            "coverage": [
                "ratio": Formatting.percent(coverage.ratio), "series": String(coverage.series),
                "samples": Formatting.count(Int64(coverage.samples)),
                "missed": Formatting.count(Int64(coverage.missedSamples)),
                "resets": String(coverage.resets.count), "started": String(coverage.startedInPeriod.count),
                "stopped": String(coverage.stoppedInPeriod.count), "gaps": String(windows.count),
                "gapTime": Formatting.duration(seconds: coverage.gapSeconds),
                "longestGap": Formatting.duration(seconds: windows.map(\.seconds).max() ?? 0),
                "apportioned": String(windows.filter(\.apportioned).count),
                "gapList": gapList, "hasGaps": !gapList.isEmpty,
            ] as [String: Any],
            "gapFactor": String(format: "%g", report.facts.gapFactor),
            "diagnostics": diagnostics,
            "hasDiagnostics": !diagnostics.isEmpty,
            "reconciliation": reconciliation,
            "hasDashboard": !reconciliation.isEmpty,
            "gatewaysWithoutCost": withoutCost.joined(separator: ", "),
            "hasGatewaysWithoutCost": !withoutCost.isEmpty,
            "gatewayCost": gatewayCost,
            "hasGatewayCost": !gatewayCost.isEmpty,
            "method": ReportMethod.text(report, escape: MarkdownEscaping().escapeText),
            "hasAdjustments": !report.adjustments.lines.isEmpty,
            "adjustedTeams": adjustedTeams(report.adjustments, in: currency),
            "adjustedTotal": adjustedTotal(report.adjustments, in: currency),
            "hasInvoices": !report.invoiceReconciliation.invoices.isEmpty,
            "invoiceBasis": report.basis == .invoice,
            "tolerance": DecimalText.plain(report.invoiceReconciliation.tolerancePercent, minScale: 0),
            "adjustmentLines": report.adjustments.lines.map { line in
                ["name": line.name, "basis": line.basis, "amount": currency.format(line.cents), "origin": line.origin]
            },
            "reproduce": reproduce.map { $0 == "`" || $0.isNewline ? " " : $0 }.reduce(into: "") { $0.append($1) },
        ]
        context.merge(invoiceSection(report)) { first, _ in first }
        context.merge(MarkdownPricingView.context(report.reconciliation.pricing)) { first, _ in first }
        return context
    }

    /// The reconciliation section's values: invoices, per provider × model sums, the largest differences.
    static func invoiceSection(_ report: Report) -> [String: Any] {
        let currency = report.currency
        let result = report.invoiceReconciliation
        let zone = report.period.timeZone
        var order: [String] = []
        var sums: [String: (provider: String, model: String, measured: Decimal, invoiced: Decimal, beyond: Int)] = [:]
        for row in result.rows {
            let key = row.provider + "\u{0}" + row.model
            if sums[key] == nil {
                order.append(key)
                sums[key] = (row.provider, row.model, 0, 0, 0)
            }
            sums[key]!.measured += row.measured
            sums[key]!.invoiced += row.invoiced
            if row.status != .ok { sums[key]!.beyond += 1 }
        }
        let differences = result.differences.prefix(10).map { row -> [String: Any] in
            [
                "provider": row.provider, "model": row.model.isEmpty ? "(no model)" : row.model,
                "from": DateText.rfc3339(row.start, in: zone), "to": DateText.rfc3339(row.end, in: zone),
                "status": row.status.rawValue, "difference": currency.format(row.difference),
                "percent": row.differencePercent.map { DecimalText.plain($0, minScale: 2) + " %" }
                    ?? "nothing measured",
                "says": row.explanation.joined(separator: "; "),
            ]
        }
        return [
            "invoices": result.invoices.map { invoice in
                [
                    "file": URL(fileURLWithPath: invoice.file).lastPathComponent, "format": invoice.format.rawValue,
                    "lines": String(invoice.lines.count), "total": currency.format(Money.round(invoice.total)),
                    "said": InvoiceSentence.text(invoice, period: report.period, currency: currency),
                    "setAside": InvoiceSentence.setAside(invoice),
                ] as [String: Any]
            },
            "reconciledModels": order.map { key in
                let sum = sums[key]!
                return [
                    "provider": sum.provider, "model": sum.model.isEmpty ? "(no model)" : sum.model,
                    "measured": currency.format(sum.measured), "invoiced": currency.format(sum.invoiced),
                    "difference": currency.format(sum.invoiced - sum.measured), "beyond": String(sum.beyond),
                ]
            },
            "reconciledTotal": [
                "measured": currency.format(result.measuredTotal),
                "invoiced": currency.format(result.invoicedTotal),
                "difference": currency.format(result.invoicedTotal - result.measuredTotal),
            ],
            "hasDifferences": !differences.isEmpty,
            "differences": differences,
            "matches": result.matches.filter { !$0.invoiceModels.isEmpty }.map { match in
                [
                    "provider": match.provider, "invoiceModels": match.invoiceModelsWithRoutes.joined(separator: ", "),
                    "measuredModels": match.measuredModels.isEmpty
                        ? "nothing measured" : match.measuredModels.joined(separator: ", "),
                ]
            },
        ]
    }

    /// Per team: list, the adjustments by kind, net; teams with neither list nor adjustments left out.
    static func adjustedTeams(_ ledger: AdjustmentLedger, in currency: Currency) -> [[String: Any]] {
        let net = ledger.netCents
        return ledger.teamOrder.indices.compactMap { team in
            guard ledger.listCents[team] != 0 || ledger.lines.contains(where: { $0.teamCents[team] != 0 }) else {
                return nil
            }
            var row: [String: Any] = [
                "name": ledger.teamOrder[team], "list": currency.format(ledger.listCents[team]),
                "net": currency.format(net[team]),
            ]
            for kind in [AdjustmentLine.Kind.discount, .markup, .fixed, .credit] {
                row[kind.rawValue] = currency.format(ledger.cents(of: kind, team: team))
            }
            return row
        }
    }

    static func adjustedTotal(_ ledger: AdjustmentLedger, in currency: Currency) -> [String: Any] {
        var row: [String: Any] = ["list": currency.format(ledger.totalList), "net": currency.format(ledger.totalNet)]
        for kind in [AdjustmentLine.Kind.discount, .markup, .fixed, .credit] {
            row[kind.rawValue] = currency.format(ledger.lines.filter { $0.kind == kind }.reduce(0) { $0 + $1.cents })
        }
        return row
    }

    /// `2026-10`, or for a month the period cuts, `2026-10 (2026-10-24 to 2026-10-26, 3 of its 31 days)`.
    static func monthName(_ check: ThresholdCheck, _ zone: TimeZone) -> String {
        guard check.partial else { return check.label }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let days = calendar.dateComponents([.day], from: check.start, to: check.end).day ?? 0
        let length = calendar.range(of: .day, in: .month, for: check.start)?.count ?? 0
        let first = DateText.day(check.start, in: zone)
        let last = DateText.day(check.end.addingTimeInterval(-1), in: zone)
        return "\(check.label) (\(first == last ? first : "\(first) to \(last)"), \(days) of its \(length) days)"
    }

    /// A window's status in words: "⚠ over $50.00", "⚠ reached $50.00", "≥ 80 % of $50.00", or nothing.
    static func flag(_ check: ThresholdCheck, adjective: String = "", in currency: Currency) -> String {
        guard let limit = check.threshold else { return "" }
        switch check.status {
        case .exceeded: return "⚠ \(check.cost == limit ? "reached" : "over") \(adjective)\(currency.format(limit))"
        case .warning: return "≥ 80 % of \(adjective)\(currency.format(limit))"
        case .ok: return ""
        }
    }

    /// Per `--group-by` label, its values with tokens per kind and cents; no value reads `(none)`.
    private static func labelGroups(_ report: Report) -> [[String: Any]] {
        let currency = report.currency
        return report.byLabels.map { grouping in
            let groups: [[String: Any]] = grouping.groups.map { group in
                var columns = kindColumns(group, currency)
                if group.name.isEmpty { columns["name"] = "(none)" }
                return columns
            }
            return ["label": grouping.label, "groups": groups]
        }
    }

    private static func kindColumns(_ group: Group, _ currency: Currency) -> [String: Any] {
        func tokens(_ kind: TokenKind) -> String {
            Formatting.count(group.tokensByType.filter { TokenKind(tokenType: $0.key) == kind }.values.reduce(0, +))
        }
        return [
            "name": group.name, "input": tokens(.input), "output": tokens(.output), "cacheRead": tokens(.cacheRead),
            "cacheWrite": tokens(.cacheWrite), "tokens": Formatting.count(group.billableTokens),
            "cost": currency.format(group.cost),
        ]
    }
}

/// The plain-language description of the method, shared by the Markdown report and the workbook.
public enum ReportMethod {
    /// How the samples were read, in one or two sentences ending with a space.
    static func sampling(_ plan: FetchPlan) -> String {
        switch plan {
        case .raw:
            "Every raw sample was read (range-vector queries). "
        case .summaries:
            "Prometheus summarised each series per hour (sample count, last and smallest value, resets): an hour "
                + "with the series' usual number of samples and no reset, after another such hour, adds exactly its "
                + "last value minus the previous hour's; every other hour was read sample by sample. "
        }
    }

    /// The method; `escape` is applied to the text taken from input files (cache rule globs).
    public static func text(_ report: Report, escape: (String) -> String = { $0 }) -> String {
        return """
            Tokens are the exact increases of the counter `\(report.facts.tokensMetric)` read from \(report.facts.prometheusSource) \
            (no `increase()`, no extrapolation). Per series, each sample's \
            increase over the previous one is added to the hour it was made in, the one before the sample (a sample \
            exactly on the hour closes the hour before); a drop is a counter reset and \
            the new value counts as the increase; a series first seen in the period counts from zero (but a first \
            sample at the start of the backend's data is a baseline: it holds the counter's past, and one that \
            starts where a series of the same labels but `instance`, `job`, `endpoint` or `service` stopped, at or \
            above its last value, continues that counter), and one \
            silent through the 26 hours before it continues from its last sample, however old. An increase across \
            a gap longer than \(String(format: "%g", report.facts.gapFactor)) × the \
            series' scrape interval is shared between the hours it spans in proportion to time, unless it ends \
            in a reset: then the new value lands at the gap's end. \
            \(sampling(report.facts.fetchPlan))Hours are summed \
            into days in \(report.period.timeZone.reportName). Each hour is priced at the prices in force at its \
            start (\(report.facts.priceCurrency) per million tokens, decimal arithmetic). \
            \(conversion(report.conversion, escape: escape))\(cacheRules(report.cacheRules, escape: escape))\
            Team amounts use the first matching rule of the team file. Cents are rounded once, in one ledger of \
            team × gateway × model × token type × \(report.allocation.ledger.hourly ? "hour" : "day") (cut where a price \
            changes), by controlled rounding: each cell, team, chargeback row, line, gateway × model × token type, \
            gateway × model and gateway is within one cent of its exact amount and the cells add up to the total \
            rounded half away from zero (0.125 → 0.13, 0.135 → 0.14); every other figure (a model, a day, a week) is a sum of those cents, the \
            same in every file. Thresholds and budgets compare the cents shown: reaching a limit (≥) exceeds it, \
            80 % of it is a warning. \(BudgetScale.explanation)\(sources(report))
            """ + (report.comparison == nil ? "" : " " + Comparison.method)
                + (report.forecast == nil ? "" : " " + Forecast.method + " " + ForecastBacktest.sentence)
    }

    /// The exchange rate sentence, ending with a space, or nothing when the prices are in the report's currency.
    static func conversion(_ conversion: Conversion, escape: (String) -> String) -> String {
        guard let sentence = conversion.sentence else { return "" }
        return "Amounts are in \(conversion.to): every hour's cost, the fixed amounts and credits and the invoices in "
            + "\(conversion.from) are converted at \(escape(sentence)), the rate in force at the period's start, "
            + "exactly, before the ledger rounds to the \(conversion.to) minor unit "
            + "(\(conversion.minorUnits) decimals). "
    }

    /// Which `input_includes_cache` rules decided, with the keys and hours each decided, ending with a space.
    static func cacheRules(_ uses: [CacheRuleUse], escape: (String) -> String) -> String {
        let intro =
            "Where the cache rule in force at an hour says the `input` counter includes cached tokens, the "
            + "cache-read and cache-write tokens of the same key and hour are subtracted from `input` before pricing (billable tokens count them once)"
        guard !uses.isEmpty else { return intro + ". " }
        let list = uses.map { use in
            let cut = use.rule.includes ? ", \(Formatting.count(use.tokensExcluded)) tokens taken out of input" : ""
            return escape(use.rule.description)
                + " for \(use.keys) key(s), \(Formatting.count(Int64(use.hours))) hour(s)\(cut)"
        }
        return intro + "; the rules that decided: " + list.joined(separator: "; ") + ". "
    }

    /// Which hours the usage store served and which Prometheus, with when the stored ones were
    /// collected; empty when no store was read.
    static func sources(_ report: Report) -> String {
        guard !report.usageSources.isEmpty else { return "" }
        let parts = report.usageSources.map { span -> String in
            let range = "\(DateText.utc(span.from)) to \(DateText.utc(span.to)) (\(span.hours) h)"
            guard span.source == .store, let first = span.collectedFrom, let last = span.collectedTo else {
                return "\(range) from Prometheus"
            }
            return "\(range) from the store, collected \(DateText.utc(first))"
                + (first == last ? "" : " to \(DateText.utc(last))")
        }
        return
            " Hourly usage was read from the usage store \(report.storeName ?? "") where it holds the hours, measured "
            + "by `chargeback collect` in the same way: " + parts.joined(separator: "; ") + "."
    }
}
