import Foundation

/// Reads a FinOps FOCUS 1.0–1.2 cost-and-usage CSV (AWS Data Exports, Azure Cost Management, Google
/// Cloud): one charge per row from `BilledCost`, `BillingCurrency`, `ChargePeriodStart`/`End`,
/// `ProviderName`, `ServiceName`, `ChargeDescription`, and the model from `x_Model` (ours) or else
/// `SkuMeter`, `SkuId` or `ResourceName`, whichever is present.
enum FOCUSInvoiceParser {
    static let required = ["BilledCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "ProviderName"]

    /// Whether the text's first line is a FOCUS header.
    static func detect(_ text: Substring) -> Bool {
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let names = Set(
            header.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) })
        return required.allSatisfy(names.contains)
    }

    static func parse(_ text: String, file: String) throws -> [InvoiceLine] {
        let records = try CSVRecords.parse(text, file: file)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw InputError(file: file, line: 1, "the file is empty")
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for name in required where column[name] == nil {
            throw InputError(file: file, line: 1, "a FOCUS file needs the column \(name)")
        }
        let modelColumn = ["x_Model", "SkuMeter", "SkuId", "ResourceName"].compactMap { column[$0] }.first
        var lines: [InvoiceLine] = []
        for (line, fields) in records.dropFirst() {
            guard fields.count == header.count else {
                throw InputError(
                    file: file, line: line, "has \(fields.count) fields where the header has \(header.count)")
            }
            func value(_ name: String) -> String { column[name].map { fields[$0] } ?? "" }
            func fail(_ name: String, _ problem: String) -> InputError {
                InputError(file: file, line: line, "column \(name): \(problem)")
            }
            let billed = value("BilledCost")
            guard let amount = InvoiceText.decimal(billed) else {
                throw fail("BilledCost", "expected a number, found '\(billed.prefix(40))'")
            }
            let currency = value("BillingCurrency").uppercased()
            guard InvoiceText.isCurrency(currency) else {
                throw fail("BillingCurrency", "expected an ISO 4217 code, found '\(currency.prefix(40))'")
            }
            guard let start = DateText.parseInstant(value("ChargePeriodStart")) else {
                throw fail("ChargePeriodStart", "expected a UTC time like 2026-10-01T00:00:00Z")
            }
            guard let end = DateText.parseInstant(value("ChargePeriodEnd")), end > start else {
                throw fail("ChargePeriodEnd", "expected a UTC time after ChargePeriodStart")
            }
            let model = modelColumn.map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let service = value("ServiceName")
            lines.append(
                InvoiceLine(
                    record: "line \(line)", provider: provider(value("ProviderName"), service: service), model: model,
                    start: start, end: end, amount: amount, currency: currency,
                    description: [value("ChargeCategory"), value("ChargeDescription")].filter { !$0.isEmpty }
                        .joined(separator: ": ")))
        }
        return lines
    }

    /// The gateway's `gen_ai_system` name for a FOCUS provider and service.
    static func provider(_ name: String, service: String) -> String {
        let text = (name + " " + service).lowercased()
        if text.contains("bedrock") { return "aws.bedrock" }
        if text.contains("vertex") { return "gcp.vertex_ai" }
        if text.contains("openai") && (text.contains("azure") || text.contains("microsoft")) { return "azure.openai" }
        if text.contains("anthropic") { return "anthropic" }
        if text.contains("openai") { return "openai" }
        return name.lowercased()
    }
}

/// Shared checks of invoice text.
enum InvoiceText {
    /// A plain decimal number (no exponent beyond ±15, no NaN), exactly.
    static func decimal(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count <= 40,
            trimmed.range(of: #"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,2})?$"#, options: .regularExpression) != nil,
            let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")),
            value.magnitude < Decimal(sign: .plus, exponent: 15, significand: 1)
        else { return nil }
        return value
    }

    static func isCurrency(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }
}
