import ChargebackModel
import Foundation

/// The CSV files of docs/output-files.md, built from the report model.
public enum CSVReports {
    /// `chargeback-<period>-usage.csv`: measured usage before allocation, per day (or hour); when
    /// some figure rests on an estimated counter start, a last column `estimated_tokens` says how
    /// many of each row's tokens do.
    public static func usage(_ report: Report, hourly: Bool) -> String {
        let marks = report.hasEstimates
        var table = CSVTable(
            money: report.currency.code,
            header: [
                "period_start", "period_end", "gateway", "model", "token_type", "tokens", "cost_usd",
            ] + (marks ? ["estimated_tokens"] : []))
        let zone = report.period.timeZone
        report.forEachUsageRow(hourly: hourly) { row in
            table.append(
                [
                    .number(DateText.rfc3339(row.start, in: zone)), .number(DateText.rfc3339(row.end, in: zone)),
                    .text(row.key.gateway), .text(row.key.model), .text(row.key.tokenType),
                    .number(String(row.tokens)), .number(DecimalText.plain(row.cost, minScale: 6)),
                ] + (marks ? [.number(String(row.estimatedTokens))] : []))
        }
        return table.text
    }

    /// `chargeback-<period>-chargeback.csv`: allocated cost per team × key × price for the whole
    /// period, in the ledger's cents (they add up exactly to the total). `tokens` are measured,
    /// `billable_tokens` are what is priced (cached tokens inside `input` left out), `unit_price`
    /// is USD per million, so `billable_tokens × unit_price ÷ 10⁶` is the row's cost before rounding.
    /// When some figure rests on an estimated counter start, a last column `estimated` marks the rows
    /// whose tokens include such a share.
    public static func chargeback(_ report: Report) -> String {
        let marks = report.hasEstimates
        var table = CSVTable(
            money: report.currency.code,
            header: [
                "team", "cost_center", "gateway", "model", "token_type", "tokens", "billable_tokens",
                "unit_price", "cost_usd", "rule",
            ] + (marks ? ["estimated"] : []))
        let teams = report.facts.teamsByName
        for row in report.allocation.rows {
            table.append(
                [
                    .text(row.team), .text(teams[row.team]?.costCenter ?? ""), .text(row.key.gateway),
                    .text(row.key.model), .text(row.key.tokenType), .number(String(row.tokens)),
                    .number(String(row.billableTokens)),
                    row.unitPrice.map { .number(DecimalText.plain($0, minScale: 2)) } ?? .empty,
                    .number(DecimalText.cents(row.cost)), .text(row.rule),
                ] + (marks ? [.text(String(report.estimatedTokens(row.key, hours: row.hours) > 0))] : []))
        }
        return table.text
    }

    /// `chargeback-<period>-teams.csv`: per team measured tokens by kind, billable tokens, cents and
    /// budget use, with the status of ``LimitStatus``; with adjustments a last column `net_usd`, the
    /// team's net, which its budget is compared with.
    public static func teams(_ report: Report) -> String {
        let adjusted = !report.adjustments.lines.isEmpty
        var table = CSVTable(
            money: report.currency.code,
            header: [
                "team", "cost_center", "owner", "input_tokens", "output_tokens", "cache_read_tokens",
                "cache_write_tokens", "billable_tokens", "cost_usd", "budget_usd", "budget_used_pct",
                "status",
            ] + (adjusted ? ["net_usd"] : []))
        for status in report.budgets {
            let group = status.group
            func kind(_ kind: TokenKind) -> CSVCell {
                .number(String(group.tokensByType.filter { TokenKind(tokenType: $0.key) == kind }.values.reduce(0, +)))
            }
            table.append(
                [
                    .text(group.name), .text(status.team?.costCenter ?? ""), .text(status.team?.owner ?? ""),
                    kind(.input), kind(.output), kind(.cacheRead), kind(.cacheWrite),
                    .number(String(group.billableTokens)), .number(DecimalText.cents(group.cost)),
                    status.budget.map { .number(DecimalText.cents($0)) } ?? .empty,
                    status.usedPercent.map { .number(DecimalText.plain($0, minScale: 1)) } ?? .empty,
                    .text(status.status.rawValue),
                ] + (adjusted ? [.number(DecimalText.cents(status.charged))] : []))
        }
        return table.text
    }
}

extension CSVReports {
    /// `chargeback-<period>-thresholds.csv`: every day, ISO week and month of the period for the
    /// total and each team, the peak rolling 24 h and 7 d windows, and the hours whose pace passes
    /// the daily threshold, in cents, with the status of ``LimitStatus``; `window_end` and `partial` follow
    /// the first six columns.
    public static func thresholds(_ report: Report) -> String {
        var table = CSVTable(
            money: report.currency.code,
            header: [
                "scope", "window", "window_start", "cost_usd", "threshold_usd", "status",
                "window_end", "partial",
            ])
        let zone = report.period.timeZone
        for check in report.thresholdChecks {
            table.append([
                .text(check.scope.label), .text(check.window.rawValue),
                .number(DateText.rfc3339(check.start, in: zone)),
                .number(DecimalText.cents(check.cost)),
                check.threshold.map { .number(DecimalText.cents($0)) } ?? .empty,
                .text(check.status.rawValue), .number(DateText.rfc3339(check.end, in: zone)),
                .text(check.partial ? "true" : "false"),
            ])
        }
        return table.text
    }
}
