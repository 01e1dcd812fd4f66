import Foundation

/// What an invoice is read against: the report's period, the price book, the `invoices:` entry.
public struct InvoiceOptions: Sendable {
    /// The report's period, for the share of the file inside it.
    public var period: DateInterval?
    /// The price book: a line whose model one of its `models:` globs matches is an AI charge.
    public var book: PriceBook?
    /// The `invoices:` entry's selection by `ServiceName`.
    public var selection = ServiceSelection()

    public init(period: DateInterval? = nil, book: PriceBook? = nil, selection: ServiceSelection = ServiceSelection()) {
        self.period = period
        self.book = book
        self.selection = selection
    }
}

/// `include:` and `exclude:` of an `invoices:` entry: `ServiceName` globs whose lines are AI
/// charges (widening) or never are (narrowing; exclude wins).
public struct ServiceSelection: Sendable, Equatable {
    public var include: [Glob] = []
    public var exclude: [Glob] = []
    public init(include: [Glob] = [], exclude: [Glob] = []) {
        self.include = include
        self.exclude = exclude
    }
}

/// Reads a FinOps FOCUS 1.0–1.3 cost-and-usage CSV (AWS Data Exports, Azure Cost Management,
/// Google Cloud) one record at a time: every line is counted in the ``InvoiceSummary``; AI charges
/// (``CloudCharge``) become ``InvoiceLine``s, the others are summed per service as set aside.
struct FOCUSInvoiceParser {
    static let required = ["BilledCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd"]
    /// `ServiceProviderName` (1.3) replaces `ProviderName` (deprecated); either will do.
    static let providerColumns = ["ServiceProviderName", "ProviderName"]

    let file: String
    let options: InvoiceOptions
    private var header: [String] = []
    private var column: [String: Int] = [:]
    private(set) var lines: [InvoiceLine] = []
    private(set) var summary = InvoiceSummary()
    private var memo = CloudCharge.Memo()
    private var providers: [String: String] = [:]

    init(file: String, options: InvoiceOptions) {
        self.file = file
        self.options = options
    }

    /// Whether a header's names are a FOCUS header.
    static func isHeader(_ names: [String]) -> Bool {
        let set = Set(names.map { $0.trimmingCharacters(in: .whitespaces) })
        return required.allSatisfy(set.contains) && providerColumns.contains(where: set.contains)
    }

    /// Takes a record: the header first, then the charges.
    /// - Throws: ``InputError`` naming the file, line and column of what is malformed.
    mutating func take(line: Int, fields: [String]) throws {
        if header.isEmpty {
            header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
            column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return
        }
        guard fields.count == header.count else {
            throw InputError(
                file: file, line: line, "has \(fields.count) fields where the header has \(header.count)")
        }
        func value(_ name: String) -> String? { column[name].flatMap { FOCUSValues.value(fields[$0]) } }
        func fail(_ name: String, _ problem: String) -> InputError {
            InputError(file: file, line: line, column: column[name].map { $0 + 1 }, "column \(name): \(problem)")
        }
        let billed = value("BilledCost") ?? ""
        guard let amount = InvoiceText.decimal(billed) else {
            throw fail("BilledCost", "expected a number, found '\(billed.prefix(40))'")
        }
        let currency = (value("BillingCurrency") ?? "").uppercased()
        guard InvoiceText.isCurrency(currency) else {
            throw fail("BillingCurrency", "expected an ISO 4217 code, found '\(currency.prefix(40))'")
        }
        guard let start = value("ChargePeriodStart").flatMap(FOCUSValues.time) else {
            throw fail(
                "ChargePeriodStart",
                "expected a UTC time like 2026-10-01 00:00:00 or 2026-10-01T00:00:00Z, found '"
                    + "\((value("ChargePeriodStart") ?? "NULL").prefix(40))'")
        }
        guard let end = value("ChargePeriodEnd").flatMap(FOCUSValues.time), end >= start else {
            throw fail("ChargePeriodEnd", "expected a UTC time not before ChargePeriodStart")
        }
        let inside = options.period.map { start >= $0.start && start < $0.end } ?? false
        summary.count(start: start, end: end, amount: amount, currency: currency, inside: inside)
        let fields = CloudCharge.Fields(
            service: value("ServiceName") ?? "", category: value("ServiceCategory") ?? "",
            resourceId: value("ResourceId") ?? "", skuPriceDetails: value("SkuPriceDetails") ?? "",
            chargeDescription: value("ChargeDescription") ?? "", skuMeter: value("SkuMeter") ?? "",
            units: [value("ConsumedUnit"), value("PricingUnit")].compactMap { $0 }.joined(separator: " "),
            xModel: value("x_Model") ?? "", xTokenType: value("x_TokenType") ?? "")
        let (model, tokenType) = CloudCharge.read(fields, memo: &memo)
        let provider = self.provider(
            value("ServiceProviderName") ?? value("ProviderName") ?? value("HostProviderName") ?? "",
            service: fields.service)
        guard let selected = select(fields, model: model, tokenType: tokenType, provider: provider) else {
            summary.setAside(service: fields.service, amount: amount, currency: currency)
            return
        }
        let described = [value("ChargeCategory"), value("ChargeDescription"), tokenType].compactMap { $0 }
        lines.append(
            InvoiceLine(
                record: "line \(line)", provider: provider, model: model, start: start, end: end, amount: amount,
                currency: currency, description: described.joined(separator: ": "), tokenType: tokenType,
                selectedBy: selected, service: fields.service))
    }

    /// Why a line is an AI charge, `nil` when it is not.
    /// ``provider(_:service:)``, remembered (a file has few providers and services).
    private mutating func provider(_ name: String, service: String) -> String {
        let key = name + "\u{0}" + service
        if let known = providers[key] { return known }
        let answer = Self.provider(name, service: service)
        if providers.count >= CloudCharge.Memo.limit { providers.removeAll(keepingCapacity: true) }
        providers[key] = answer
        return answer
    }

    private mutating func select(
        _ fields: CloudCharge.Fields, model: String?, tokenType: String?, provider: String
    ) -> AISelection? {
        let service = fields.service
        if options.selection.exclude.contains(where: { $0.matches(service) }) { return nil }
        if options.selection.include.contains(where: { $0.matches(service) }) { return .option }
        if let chosen = CloudCharge.isAI(fields, model: model, tokenType: tokenType, memo: &memo) { return chosen }
        guard let model else { return nil }
        if let book = options.book, book.entry(for: model, { $0 == "system" ? provider : "" }) != nil {
            return .priceBook
        }
        return .modelName
    }

    /// The gateway's `gen_ai_system` name for a FOCUS provider and service.
    static func provider(_ name: String, service: String) -> String {
        let text = (name + " " + service).lowercased()
        if text.contains("bedrock") { return "aws.bedrock" }
        if text.contains("vertex") { return "gcp.vertex_ai" }
        if (text.contains("openai") || text.contains("foundry"))
            && (text.contains("azure") || text.contains("microsoft"))
        {
            return "azure.openai"
        }
        if text.contains("anthropic") { return "anthropic" }
        if text.contains("openai") { return "openai" }
        return name.lowercased()
    }
}
