import Foundation

/// One FOCUS charge: a team's allocated row for one stretch of the period at one price.
struct FOCUSCharge: Equatable {
    let row: AllocatedRow
    let start: Date
    let end: Date
    /// The price point in force, `nil` when the usage had no price (priced at 0).
    let price: PricePoint?
    /// USD per token: the book's price per million ÷ 1,000,000, exactly.
    let unitPrice: Decimal
    /// Billable tokens of this team's share, to a millionth of a token (whole unless a split
    /// or shared rule gave the team a fraction of a key's tokens).
    let pricingQuantity: Decimal
    /// `unitPrice × pricingQuantity`, exactly (no rounding).
    let listCost: Decimal
    /// This charge's part of the row's cents, so all charges add up to the report total in cents.
    let billedCost: Decimal
    /// Tokens as measured (before any cache subtraction), the team's share.
    let consumedQuantity: Int64
}

/// Splits the allocated rows into FOCUS charges whose list cost is exactly unit price × quantity.
///
/// An allocated row covers a whole period, but a price may change inside it, and for providers
/// whose `input` counts cached tokens the billable tokens are fewer than the measured ones. So
/// each row is cut where its model's price changes, and each piece gets:
/// - `PricingQuantity`: the billable tokens (cost ÷ unit price, which the Price stage made exact),
///   times the team's share of the key (its exact cost ÷ the key's cost), rounded to 10⁻⁶ token;
/// - `ListCost = ListUnitPrice × PricingQuantity`, computed exactly in decimal (fractions of a cent
///   kept: it is a list figure, not an invoice);
/// - `BilledCost`: the row's allocated cents shared over its pieces by largest remainder, so
///   billed cents add up exactly to the chargeback CSV and the period total. Billed and list cost
///   differ by less than a cent per row: that is rounding to the invoice's currency unit.
enum FOCUSCharges {
    static func charges(_ report: Report) -> [FOCUSCharge] {
        let lines = Dictionary(report.lines.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var charges: [FOCUSCharge] = []
        for row in report.allocation.rows {
            guard let line = lines[row.key] else { continue }
            charges += split(row, line: line, report: report)
        }
        return charges
    }

    private struct Segment {
        var hours: Range<Int>
        let price: PricePoint?
        var tokens: Int64 = 0
        var cost: Decimal = 0
    }

    private static func split(_ row: AllocatedRow, line: CostLine, report: Report) -> [FOCUSCharge] {
        let buckets = report.buckets
        let kind = TokenKind(tokenType: row.key.tokenType)
        let entry = report.config.pricing.entry(for: row.key.model)
        var segments: [Segment] = []
        for hour in 0..<buckets.hourCount {
            let price = kind == nil ? nil : entry?.price(at: buckets.hourStart(hour))
            let perMillion = kind.flatMap { price?.perMillion($0) }
            let point = perMillion == nil ? nil : price
            if let last = segments.last, last.price == point {
                segments[segments.count - 1].hours = last.hours.lowerBound..<(hour + 1)
            } else {
                segments.append(Segment(hours: hour..<(hour + 1), price: point))
            }
            segments[segments.count - 1].tokens += line.hourlyTokens[hour]
            segments[segments.count - 1].cost += line.hourlyCost[hour]
        }
        segments = segments.filter { $0.tokens != 0 || $0.cost != 0 }
        if segments.isEmpty { return [] }
        let share: Decimal = line.cost != 0 ? row.exactCost / line.cost
            : line.tokens != 0 ? Decimal(row.tokens) / Decimal(line.tokens) : 0
        let weights = segments.map { line.cost != 0 ? $0.cost : Decimal($0.tokens) }
        let weightSum = weights.reduce(0, +)
        let billed = Money.largestRemainder(weights.map { weightSum == 0 ? 0 : row.cost * $0 / weightSum }, total: row.cost)
        let consumed = Money.splitTokens(row.tokens, weights: segments.map { Decimal($0.tokens) })
        return segments.enumerated().map { index, segment in
            let perMillion = kind.flatMap { segment.price?.perMillion($0) } ?? 0
            let unitPrice = perMillion / 1_000_000
            let billable = unitPrice > 0 ? segment.cost / unitPrice : Decimal(segment.tokens)
            let quantity = Money.round(share * billable, scale: 6)
            let endMillis = buckets.hourEndMillis(segment.hours.upperBound - 1)
            return FOCUSCharge(row: row, start: buckets.hourStart(segment.hours.lowerBound),
                               end: Date(timeIntervalSince1970: Double(endMillis) / 1000),
                               price: segment.price, unitPrice: unitPrice, pricingQuantity: quantity,
                               listCost: unitPrice * quantity, billedCost: billed[index], consumedQuantity: consumed[index])
        }
    }
}
