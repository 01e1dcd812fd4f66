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
        let currency = CSVCell.text(report.currency.code)
        let billingStart = CSVCell.number(DateText.utc(report.period.start))
        let billingEnd = CSVCell.number(DateText.utc(report.period.end))
        let onlyHeader = columns == header
        var texts = FOCUSRowTexts(report)
        // Charge times repeat over the rows: each written once.
        var timeTexts: [Date: CSVCell] = [:]
        func time(_ date: Date) -> CSVCell { timeTexts.remembered(date) { .number(DateText.utc(date)) } }
        for charge in FOCUSCharges.charges(report) {
            let row = charge.row
            let price = texts.price(row, unitPrice: charge.unitPrice)
            let account = texts.account(row.team)
            let listCost = CSVCell.number(DecimalText.plain(charge.listCost, minScale: 2))
            let billed = CSVCell.number(DecimalText.cents(charge.billedCost))
            let gateway = CSVCell.text(row.key.gateway)
            let cells: [CSVCell] = [
                billed, account.id, .text(row.team), account.type, currency,
                billingEnd, billingStart, .text("Usage"), .empty, price.description,
                .text("Usage-Based"), time(charge.end), time(charge.start),
                .number(quantity(charge.consumedQuantity)), .text("Tokens"),
                listCost, price.unitPrice, billed, account.invoice, .text(invoiceIssuer), listCost, price.unitPrice,
                price.pricingCategory, .number(quantity(charge.pricingQuantity)), .text("Tokens"),
                .text(invoiceIssuer), price.provider, .text("AI and Machine Learning"),
                .text(serviceName), .text("Generative AI"), price.sku, price.meter, price.skuPriceDetails,
                price.skuPriceId, gateway, gateway, .text("Gateway"), texts.tags(row),
                .text(row.rule), account.costCenter, gateway, .text(row.key.model), .text(row.team),
                .text(row.key.tokenType), price.unpriced,
            ]
            guard !onlyHeader else {
                table.append(cells)
                continue
            }
            let priced = row.unitPrice != nil
            var named = currencyCells(
                report.conversion, effective: charge.billedCost, unitPrice: priced ? charge.unitPrice : nil)
            if report.hasEstimates {
                named[estimatedColumn] = .text(String(report.estimatedTokens(row.key, hours: row.hours) > 0))
            }
            table.append(
                zip(columns, sources).map { column, source in source.map { cells[$0] } ?? named[column] ?? .empty })
        }
        for row in FOCUSAdjustments.rows(report) { table.append(columns.map { row[$0] ?? .empty }) }
        return table
    }

    /// With identities (a `directory:` or `attribution:`), the row's identity under its label, as
    /// every other file writes it (its pseudonym with `identities.pseudonymize`).
    static func identityTag(_ report: Report, _ key: UsageKey) -> (label: String, value: String)? {
        guard let identities = report.identities else { return nil }
        let value = report.facts.dimensions.value(of: identities.label, in: key)
        return (identities.label, identities.shown[value] ?? "")
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
}
