import ChargebackModel
import Foundation

/// One FOCUS charge: one chargeback row (a team's share of one key at one price).
struct FOCUSCharge: Equatable {
    let row: AllocatedRow
    let start: Date
    let end: Date
    /// USD per token: the book's price per million ÷ 1,000,000, exactly (0 when unpriced).
    let unitPrice: Decimal
    /// Billable tokens of this team's share: the chargeback row's `billable_tokens`, whole.
    let pricingQuantity: Int64
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
/// one charge: `PricingQuantity` is the row's billable tokens and `ConsumedQuantity` its measured
/// tokens (the chargeback CSV's whole tokens, written as FOCUS Decimals: `11898632.0`),
/// `ListCost = ListUnitPrice × PricingQuantity` exactly, and `BilledCost` the row's cents. Billed
/// and list cost differ by the rounding to the currency's unit and of the team's share to whole
/// tokens.
enum FOCUSCharges {
    static func charges(_ report: Report) -> [FOCUSCharge] {
        let buckets = report.buckets
        return report.allocation.rows.map { row in
            let unitPrice = Money.perToken(row.unitPrice ?? 0)
            let last = max(row.hours.upperBound - 1, row.hours.lowerBound)
            return FOCUSCharge(
                row: row, start: buckets.hourStart(row.hours.lowerBound),
                end: Date(timeIntervalSince1970: Double(buckets.hourEndMillis(last)) / 1000),
                unitPrice: unitPrice, pricingQuantity: row.billableTokens,
                listCost: unitPrice * Decimal(row.billableTokens),
                billedCost: row.cost, consumedQuantity: row.tokens)
        }
    }
}
