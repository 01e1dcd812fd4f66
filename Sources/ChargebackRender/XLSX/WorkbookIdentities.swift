import ChargebackModel
import Foundation

/// The Identities sheet: per team and identity of the directory's label, tokens, billable tokens,
/// the team's cents of it and its share of the team's cost, largest first within each team.
enum WorkbookIdentities {
    static let name = "Identities"

    static func write(_ breakdown: IdentityBreakdown, _ sheet: XLSXSheet) throws {
        try sheet.header(
            0,
            [
                "Team", breakdown.pseudonymized ? "\(breakdown.label) (pseudonym)" : breakdown.label, "Tokens",
                "Billable tokens", "Cost (\(sheet.currency))", "Share of team", "In directory",
            ])
        try sheet.autofilter(XLSXRange(0, 0, max(breakdown.figures.count, 1), 6))
        let unlisted = Set(breakdown.unlisted.map(\.identity))
        for (index, figure) in breakdown.figures.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, figure.team)
            try sheet.text(row, 1, figure.identity)
            try sheet.number(row, 2, Double(figure.tokens))
            try sheet.number(row, 3, Double(figure.billableTokens))
            try sheet.number(row, 4, Money.double(figure.cost), .money)
            if let share = figure.sharePercent { try sheet.number(row, 5, Money.double(share / 100), .percent) }
            try sheet.text(row, 6, figure.identity.isEmpty ? "" : unlisted.contains(figure.identity) ? "no" : "yes")
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
