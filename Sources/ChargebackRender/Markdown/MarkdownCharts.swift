import ChargebackModel
import Foundation

/// Mermaid charts above the Markdown tables they draw (GitHub, GitLab and most Markdown viewers
/// render them; elsewhere they read as a short code block): the daily cost as bars, the team split
/// as a pie. Values are the tables' cents; names from the data are quoted safely.
enum MarkdownCharts {
    /// Bars of each day's cost, labelled by day of month; empty without days.
    static func daily(_ report: Report) -> String {
        let days = report.byDay
        guard !days.isEmpty else { return "" }
        let zone = report.period.timeZone
        let labels = days.map { "\"\(DateText.day($0.day.start, in: zone).suffix(days.count > 31 ? 5 : 2))\"" }
        let values = days.map { amount($0.cost, report) }
        return """
            ```mermaid
            xychart-beta
                title "Cost per day (\(report.currency))"
                x-axis [\(labels.joined(separator: ", "))]
                y-axis "\(report.currency)"
                bar [\(values.joined(separator: ", "))]
            ```
            """
    }

    /// The teams' shares of the total as a pie; empty for fewer than two teams with cost, or when
    /// a team's cost is negative (a pie cannot show it).
    static func teams(_ report: Report) -> String {
        let teams = report.byTeam.filter { $0.cost != 0 }
        guard teams.count > 1, teams.allSatisfy({ $0.cost > 0 }) else { return "" }
        let slices = teams.map { "    \(label($0.name)) : \(amount($0.cost, report))" }
        return "```mermaid\npie title Cost per team (\(report.currency))\n" + slices.joined(separator: "\n") + "\n```"
    }

    /// A name as a Mermaid string: quoted, without the characters that would end or break it.
    static func label(_ text: String) -> String {
        let safe = text.map { "\"`\\;#{}[]<>".contains($0) || $0.isNewline ? " " : String($0) }.joined()
        return "\"\(safe)\""
    }

    /// Cents as a plain number in the currency's minor unit (`1234.50`).
    private static func amount(_ value: Decimal, _ report: Report) -> String {
        let decimals = report.conversion.minorUnits
        return DecimalText.plain(Money.round(value, scale: decimals), minScale: decimals)
    }
}
