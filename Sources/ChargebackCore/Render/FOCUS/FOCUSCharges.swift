import Foundation

/// One FOCUS charge: one chargeback row (a team's share of one key at one price).
struct FOCUSCharge: Equatable {
    let row: AllocatedRow
    let start: Date
    let end: Date
    /// USD per token: the book's price per million ÷ 1,000,000, exactly (0 when unpriced).
    let unitPrice: Decimal
    /// Billable tokens of this team's share, to a millionth of a token (whole unless a split
    /// or shared rule gave the team a fraction of a key's tokens).
    let pricingQuantity: Decimal
    /// `unitPrice × pricingQuantity`, exactly (no rounding).
    let listCost: Decimal
    /// The row's cents from the ledger, so all charges add up to the chargeback CSV and the total.
    let billedCost: Decimal
    /// Tokens as measured (before any cache subtraction), the team's share.
    let consumedQuantity: Int64
}

/// Turns the chargeback rows into FOCUS charges whose list cost is exactly unit price × quantity.
///
/// A row already holds one price (the ledger cuts a key where its price changes), so each row is
/// one charge: `PricingQuantity` is the row's exact cost ÷ the unit price (the team's share of the
/// billable tokens) to 10⁻⁶ token, `ListCost = ListUnitPrice × PricingQuantity` exactly, and
/// `BilledCost` the row's cents. Billed and list cost differ by less than a cent per row: that is
/// rounding to the invoice's currency unit.
enum FOCUSCharges {
    static func charges(_ report: Report) -> [FOCUSCharge] {
        let buckets = report.buckets
        return report.allocation.rows.map { row in
            let unitPrice = (row.unitPrice ?? 0) / 1_000_000
            let quantity =
                unitPrice > 0 ? Money.round(row.exactCost / unitPrice, scale: 6) : Decimal(row.billableTokens)
            let last = max(row.hours.upperBound - 1, row.hours.lowerBound)
            return FOCUSCharge(
                row: row, start: buckets.hourStart(row.hours.lowerBound),
                end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(last)) / 1000),
                unitPrice: unitPrice, pricingQuantity: quantity, listCost: unitPrice * quantity,
                billedCost: row.cost, consumedQuantity: row.tokens)
        }
    }
}
