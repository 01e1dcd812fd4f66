import ChargebackModel
import Foundation

/// The cells FOCUS rows repeat, each made once: a report of 50,000 per-user series has thousands
/// of rows per gateway, model, token type and price, and per team, and every text made per row
/// costs an allocation the workbook written beside it waits for.
struct FOCUSRowTexts {
    /// The cells of one SKU price: a gateway's model, token type and provider at one price.
    struct Price {
        let provider: CSVCell
        let description: CSVCell
        let sku: CSVCell
        let meter: CSVCell
        let unitPrice: CSVCell
        let pricingCategory: CSVCell
        let skuPriceDetails: CSVCell
        let skuPriceId: CSVCell
        let unpriced: CSVCell
    }

    /// The cells of one team: its billing account and invoice.
    struct Account {
        let id: CSVCell
        let type: CSVCell
        let costCenter: CSVCell
        let invoice: CSVCell
    }

    private struct PriceKey: Hashable {
        let gateway: String
        let model: String
        let tokenType: String
        let system: String
        /// The book's price per million as written (`nil` for an unpriced key).
        let perMillion: String?
        let since: Date?
    }

    private struct TagsKey: Hashable {
        let identity: String?
        let team: String
        let gateway: String
        let model: String
    }

    private let report: Report
    private var prices: [PriceKey: Price] = [:]
    private var accounts: [String: Account] = [:]
    private var tags: [TagsKey: CSVCell] = [:]

    init(_ report: Report) { self.report = report }

    mutating func price(_ row: AllocatedRow, unitPrice: Decimal) -> Price {
        let key = row.key
        let perMillion = row.unitPrice.map { DecimalText.plain($0, minScale: 2) }
        let priceKey = PriceKey(
            gateway: key.gateway, model: key.model, tokenType: key.tokenType, system: key.system,
            perMillion: perMillion, since: row.priceSince)
        let currency = report.currency.code
        return prices.remembered(priceKey) {
            Self.price(row, unitPrice: unitPrice, perMillion: perMillion, currency: currency)
        }
    }

    /// The cells of `row`'s SKU price (`perMillion`: the book's price as written).
    private static func price(_ row: AllocatedRow, unitPrice: Decimal, perMillion: String?, currency: String) -> Price {
        let key = row.key
        let kind = TokenKind(tokenType: key.tokenType)
        let tokenType = kind?.rawValue ?? key.tokenType
        let sku = "\(key.model)/\(tokenType)"
        let meter = FOCUSRenderer.meter(kind, key.tokenType)
        var description = "\(meter) of \(key.model) via \(key.gateway)"
        if let perMillion {
            description += " at \(currency) \(perMillion) per million tokens"
        } else {
            description += " (no price in the price book: priced at 0)"
        }
        return Price(
            provider: .text(key.system.isEmpty ? "unknown" : key.system), description: .text(description),
            sku: .text(sku), meter: .text(meter), unitPrice: .number(DecimalText.plain(unitPrice, minScale: 0)),
            pricingCategory: .text(perMillion == nil ? "Other" : "Standard"),
            skuPriceDetails: row.priceSince.map { _ in
                .prepared(FOCUSRenderer.tags(["x_Model": key.model, "x_TokenType": tokenType]))
            } ?? .empty,
            skuPriceId: row.priceSince.map { .text("\(sku)@\(DateText.priceStart($0))") } ?? .empty,
            unpriced: .text(perMillion == nil ? "true" : "false"))
    }

    mutating func account(_ team: String) -> Account {
        let report = report
        return accounts.remembered(team) {
            let costCenter = report.facts.teamsByName[team]?.costCenter ?? ""
            let id = costCenter.isEmpty ? team : costCenter
            return Account(
                id: .text(id), type: .text(costCenter.isEmpty ? "Team" : "Cost center"), costCenter: .text(costCenter),
                invoice: .text("\(report.period.label)/\(id)"))
        }
    }

    /// `Tags` of a row: its identity (with identities), team, gateway and model.
    mutating func tags(_ row: AllocatedRow) -> CSVCell {
        let identity = FOCUSRenderer.identityTag(report, row.key)
        let tagsKey = TagsKey(identity: identity?.value, team: row.team, gateway: row.key.gateway, model: row.key.model)
        return tags.remembered(tagsKey) {
            var set = identity.map { [$0.label: $0.value] } ?? [:]
            set.merge(["team": row.team, "gateway": row.key.gateway, "model": row.key.model]) { $1 }
            return .prepared(FOCUSRenderer.tags(set))
        }
    }
}
