import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-unit-economics.csv`: per team and model, per team (`model` empty) and for
    /// the total (`team` empty): cents, billable tokens, active identities, cost per 1,000 billable
    /// tokens and per active identity (6 decimals, exact to that; empty where undefined), then the
    /// requests (fractional only under a split; empty when not measured) and the cost per request.
    public static func unitEconomics(_ rows: [UnitEconomicsRow], currency: String) -> String {
        var table = CSVTable(
            money: currency,
            header: [
                "team", "model", "cost_usd", "billable_tokens", "active_identities", "cost_per_1k_tokens_usd",
                "cost_per_identity_usd", "requests", "cost_per_request_usd",
            ])
        func six(_ value: Decimal?) -> CSVCell {
            value.map { .number(DecimalText.plain(Money.round($0, scale: 6), minScale: 6)) } ?? .empty
        }
        for row in rows {
            table.append([
                .text(row.team ?? ""), .text(row.model ?? ""), .number(DecimalText.cents(row.cost)),
                .number(String(row.billableTokens)), .number(String(row.activeIdentities)),
                six(row.costPerThousandTokens), six(row.costPerIdentity),
                row.requests.map { .number(DecimalText.plain(Money.round($0, scale: 6), minScale: 0)) } ?? .empty,
                six(row.costPerRequest),
            ])
        }
        return table.text
    }
}
