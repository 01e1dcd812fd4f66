import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-identities.csv`: per team and identity of the directory's label (every
    /// one, largest first), tokens, billable tokens, the team's cents of it and its share of the
    /// team's cost; a team's identities add up to its cents. Identities the directory does not list
    /// say so in `in_directory`.
    public static func identities(_ breakdown: IdentityBreakdown, currency: String) -> String {
        var table = CSVTable(
            money: currency,
            header: [
                "team", "label", "identity", "tokens", "billable_tokens", "cost_usd", "team_share_pct",
                "in_directory",
            ])
        let unlisted = Set(breakdown.unlisted.map(\.identity))
        for figure in breakdown.figures {
            table.append([
                .text(figure.team), .text(breakdown.label), .text(figure.identity), .number(String(figure.tokens)),
                .number(String(figure.billableTokens)), .number(DecimalText.cents(figure.cost)),
                figure.sharePercent.map { .number(DecimalText.plain($0, minScale: 1)) } ?? .empty,
                .text(figure.identity.isEmpty ? "" : unlisted.contains(figure.identity) ? "no" : "yes"),
            ])
        }
        return table.text
    }
}
