import ChargebackModel
import Foundation

/// `chargeback-<period>-focus.csv`: the allocated cost as a FinOps FOCUS 1.2 cost-and-usage
/// dataset, for cost platforms that load FOCUS from every provider.
///
/// How our world maps onto FOCUS:
/// - the internal platform is the provider (it makes the gateway's models available to the teams)
///   and the invoice issuer, so no row reads as a third party's charge; each team is a billing
///   account (its cost center as the id, `Team` when it has none) billed by one internal invoice
///   per period (`InvoiceId` `<period>/<billing account>`), and each gateway a sub-account;
/// - the LLM provider (`gen_ai_system`) is the `PublisherName`; a SKU is a model and a kind of
///   token, and a SKU price is that SKU at one dated price of the price book (`SkuPriceDetails`
///   names both, as `x_Model` and `x_TokenType`);
/// - `BillingCurrency` is the report's currency; with prices in another one, `PricingCurrency`
///   and the `PricingCurrency…` columns carry the book's, and `x_ExchangeRate` the rate;
/// - `PricingUnit` is `Tokens`, `ListUnitPrice` in the report's currency per token, and
///   `ListCost = ListUnitPrice × PricingQuantity` exactly; `BilledCost` and `EffectiveCost` are
///   the allocated cents (they add up to the chargeback CSV); no contracts or discounts, so
///   contracted figures equal list figures (see ``FOCUSCharges`` for the rounding);
/// - the adjustments of `pricing.yaml` follow as rows of their own per team (``FOCUSAdjustments``);
/// - times are UTC `YYYY-MM-DDTHH:mm:ssZ`; nulls are empty cells; our own columns start with `x_`.
public enum FOCUSRenderer {
    /// The 21 mandatory FOCUS 1.2 columns with the conditional ones that apply, then ours.
    public static let header = [
        "BilledCost", "BillingAccountId", "BillingAccountName", "BillingAccountType", "BillingCurrency",
        "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
        "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit",
        "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost",
        "ListUnitPrice",
        "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory",
        "ServiceName", "ServiceSubcategory", "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId",
        "SubAccountName",
        "SubAccountType", "Tags",
        "x_AllocationRule", "x_CostCenter", "x_Gateway", "x_Model", "x_Team", "x_TokenType", "x_Unpriced",
    ]

    /// FOCUS's pricing-currency columns and our rate, added when the prices are in another currency
    /// than the report (``columns(_:)``).
    static let pricingCurrencyColumns = [
        "PricingCurrency", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost",
        "PricingCurrencyListUnitPrice",
    ]
    static let rateColumns = ["x_ExchangeRate", "x_ExchangeRateDate"]

    /// Marks the charges whose tokens include a share resting on an estimated counter start.
    static let estimatedColumn = "x_Estimated"

    /// The file's columns: ``header``; with a conversion the pricing-currency columns (after
    /// `PricingCategory`) and the rate with its date (after `x_CostCenter`); when some figure rests
    /// on an estimated counter start, ``estimatedColumn`` last.
    public static func columns(_ report: Report) -> [String] {
        var columns = header
        if report.conversion.converts {
            columns.insert(contentsOf: pricingCurrencyColumns, at: columns.firstIndex(of: "PricingCategory")! + 1)
            columns.insert(contentsOf: rateColumns, at: columns.firstIndex(of: "x_CostCenter")! + 1)
        }
        if report.hasEstimates { columns.append(estimatedColumn) }
        return columns
    }

    /// The cells of the pricing-currency and rate columns of one row: `effective` in the report's
    /// currency, `unitPrice` per token in it (`nil` for a row without one).
    static func currencyCells(_ conversion: Conversion, effective: Decimal, unitPrice: Decimal?) -> [String: CSVCell] {
        guard conversion.converts else { return [:] }
        let inPricing = { (amount: Decimal) in
            CSVCell.number(DecimalText.plain(Money.round(amount / conversion.rate, scale: 10), minScale: 0))
        }
        let price = unitPrice.map(inPricing) ?? .empty
        return [
            "PricingCurrency": .text(conversion.from), "PricingCurrencyContractedUnitPrice": price,
            "PricingCurrencyEffectiveCost": inPricing(effective), "PricingCurrencyListUnitPrice": price,
            "x_ExchangeRate": .number(DecimalText.plain(conversion.rate, minScale: 0)),
            "x_ExchangeRateDate": .text(conversion.date ?? ""),
        ]
    }

    static let invoiceIssuer = "Internal chargeback"
    static let serviceName = "AI Gateway"

    /// The CSV text (RFC 4180, `\n` line ends, text cells neutralised like every other CSV).
    public static func render(_ report: Report) -> String { table(report).text }

    /// ``render(_:)`` as a table, to write piece by piece.
    public static func table(_ report: Report) -> CSVTable {
        let columns = columns(report)
        var table = CSVTable(header: columns)
        // Where each column takes its cell: the row's cell of that ``header`` column, or (`nil`)
        // the currency and estimate cells by name.
        let headerIndex = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let sources = columns.map { headerIndex[$0] }
        let teams = report.facts.teamsByName
        let currency = report.currency.code
        let billingStart = DateText.utc(report.period.start)
        let billingEnd = DateText.utc(report.period.end)
        // Rows of one key and team share their tags: each set written (and quoted) once.
        var tagCells: [[String: String]: CSVCell] = [:]
        func cachedTags(_ set: [String: String]) -> CSVCell {
            tagCells.remembered(set) { CSVCell.prepared(Self.tags(set)) }
        }
        // Prices and charge times repeat over the rows: each written once. A price is known by
        // its digits and exponent, not its value (`1.5` and `1.50` are equal but written apart).
        struct Written: Hashable {
            let negative: Bool
            let exponent: Int
            let significand: Decimal
            let minScale: Int
        }
        var priceTexts: [Written: String] = [:]
        func priceText(_ value: Decimal, minScale: Int) -> String {
            let key = Written(
                negative: value.sign == .minus, exponent: value.exponent, significand: value.significand,
                minScale: minScale)
            return priceTexts.remembered(key) { DecimalText.plain(value, minScale: minScale) }
        }
        var timeTexts: [Date: String] = [:]
        func timeText(_ date: Date) -> String { timeTexts.remembered(date) { DateText.utc(date) } }
        for charge in FOCUSCharges.charges(report) {
            let row = charge.row
            let key = row.key
            let costCenter = teams[row.team]?.costCenter ?? ""
            let account = costCenter.isEmpty ? row.team : costCenter
            let provider = key.system.isEmpty ? "unknown" : key.system
            let kind = TokenKind(tokenType: key.tokenType)
            let sku = "\(key.model)/\(kind?.rawValue ?? key.tokenType)"
            let priced = row.unitPrice != nil
            let unitPrice = CSVCell.number(priceText(charge.unitPrice, minScale: 0))
            let listCost = number(charge.listCost, minScale: 2)
            let billed = CSVCell.number(DecimalText.cents(charge.billedCost))
            var description = "\(meter(kind, key.tokenType)) of \(key.model) via \(key.gateway)"
            if let perMillion = row.unitPrice {
                description += " at \(currency) \(priceText(perMillion, minScale: 2)) per million tokens"
            } else {
                description += " (no price in the price book: priced at 0)"
            }
            let cells: [CSVCell] = [
                billed, .text(account), .text(row.team),
                .text(costCenter.isEmpty ? "Team" : "Cost center"), .text(currency),
                .number(billingEnd), .number(billingStart), .text("Usage"), .empty, .text(description),
                .text("Usage-Based"), .number(timeText(charge.end)), .number(timeText(charge.start)),
                .number(quantity(charge.consumedQuantity)), .text("Tokens"),
                listCost, unitPrice, billed, .text("\(report.period.label)/\(account)"), .text(invoiceIssuer), listCost,
                unitPrice,
                .text(priced ? "Standard" : "Other"), .number(quantity(charge.pricingQuantity)), .text("Tokens"),
                .text(invoiceIssuer), .text(provider), .text("AI and Machine Learning"),
                .text(serviceName), .text("Generative AI"), .text(sku), .text(meter(kind, key.tokenType)),
                row.priceSince.map { _ in
                    cachedTags(["x_Model": key.model, "x_TokenType": kind?.rawValue ?? key.tokenType])
                }
                    ?? .empty,
                row.priceSince.map { .text("\(sku)@\(DateText.priceStart($0))") } ?? .empty,
                .text(key.gateway), .text(key.gateway), .text("Gateway"),
                cachedTags(
                    identityTag(report, key).merging(["team": row.team, "gateway": key.gateway, "model": key.model]) {
                        $1
                    }),
                .text(row.rule), .text(costCenter), .text(key.gateway), .text(key.model), .text(row.team),
                .text(key.tokenType), .text(priced ? "false" : "true"),
            ]
            var named = currencyCells(
                report.conversion, effective: charge.billedCost, unitPrice: priced ? charge.unitPrice : nil)
            if report.hasEstimates {
                named[estimatedColumn] = .text(String(report.estimatedTokens(key, hours: row.hours) > 0))
            }
            table.append(
                zip(columns, sources).map { column, source in source.map { cells[$0] } ?? named[column] ?? .empty })
        }
        for row in FOCUSAdjustments.rows(report) { table.append(columns.map { row[$0] ?? .empty }) }
        return table
    }

    /// With identities (a `directory:` or `attribution:`), the row's identity under its label, as
    /// every other file writes it (its pseudonym with `identities.pseudonymize`).
    static func identityTag(_ report: Report, _ key: UsageKey) -> [String: String] {
        guard let identities = report.identities else { return [:] }
        let value = report.facts.dimensions.value(of: identities.label, in: key)
        return [identities.label: identities.shown[value] ?? ""]
    }

    /// `SkuMeter`: what is counted, e.g. `Output tokens`.
    static func meter(_ kind: TokenKind?, _ tokenType: String) -> String {
        switch kind {
        case .input: "Input tokens"
        case .output: "Output tokens"
        case .cacheRead: "Cache read tokens"
        case .cacheWrite: "Cache write tokens"
        case nil: "\(tokenType) tokens"
        }
    }

    /// FOCUS `Tags`: a JSON object with sorted keys (the same bytes on every run).
    static func tags(_ tags: [String: String]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: tags, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Whole tokens as a FOCUS Decimal (`11898632.0`): both quantity columns are of type Decimal,
    /// and the FinOps validator reads a column of bare integers as integers, not decimals.
    static func quantity(_ tokens: Int64) -> String { "\(tokens).0" }

    private static func number(_ value: Decimal, minScale: Int = 0) -> CSVCell {
        .number(DecimalText.plain(value, minScale: minScale))
    }
}
