import Foundation

/// One charge of a provider's invoice, as the invoice states it.
public struct InvoiceLine: Sendable, Equatable {
    /// Where it is: `line 14` (CSV) or `data[3].results[2]` (JSON).
    public let record: String
    /// The provider in the gateway's `gen_ai_system` spelling (`anthropic`, `openai`, `aws.bedrock`, …).
    public let provider: String
    /// The model as the invoice names it (often a dated id), `nil` for a charge of no model.
    public let model: String?
    /// The interval charged, half-open.
    public let start: Date
    public let end: Date
    /// In `currency`, major units (dollars, not cents).
    public let amount: Decimal
    /// ISO 4217, upper case.
    public let currency: String
    /// What the invoice says the charge is: its token type, context window, service tier or text.
    public let description: String

    public init(
        record: String, provider: String, model: String?, start: Date, end: Date, amount: Decimal,
        currency: String, description: String
    ) {
        self.record = record
        self.provider = provider
        self.model = model
        self.start = start
        self.end = end
        self.amount = amount
        self.currency = currency
        self.description = description
    }
}

/// A provider invoice read from a file.
public struct Invoice: Sendable, Equatable {
    public enum Format: String, Sendable {
        case focus = "FOCUS CSV"
        case anthropic = "Anthropic cost report"
        case openai = "OpenAI organization costs"
    }

    /// The file as the user named it.
    public let file: String
    public let format: Format
    public let lines: [InvoiceLine]
    /// SHA-256 of the file's bytes, hex, for the manifest.
    public let sha256: String

    public init(file: String, format: Format, lines: [InvoiceLine], sha256: String) {
        self.file = file
        self.format = format
        self.lines = lines
        self.sha256 = sha256
    }

    public var total: Decimal { lines.reduce(0) { $0 + $1.amount } }
}
