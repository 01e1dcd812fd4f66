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
    /// The token type a cloud line names (`input`, `output`, `cache_read`, `cache_write`), if any.
    public var tokenType: String? = nil
    /// Why the line counts as an AI charge.
    public var selectedBy: AISelection = .provider
    /// The service of a cloud line (FOCUS `ServiceName`), for what is set aside.
    public var service: String = ""

    public init(
        record: String, provider: String, model: String?, start: Date, end: Date, amount: Decimal,
        currency: String, description: String, tokenType: String? = nil, selectedBy: AISelection = .provider,
        service: String = ""
    ) {
        self.record = record
        self.provider = provider
        self.model = model
        self.start = start
        self.end = end
        self.amount = amount
        self.currency = currency
        self.description = description
        self.tokenType = tokenType
        self.selectedBy = selectedBy
        self.service = service
    }

    /// The same charge at another amount and currency.
    public func with(amount: Decimal, currency: String) -> InvoiceLine {
        InvoiceLine(
            record: record, provider: provider, model: model, start: start, end: end, amount: amount,
            currency: currency, description: description, tokenType: tokenType, selectedBy: selectedBy,
            service: service)
    }
}

/// Why an invoice line is taken for an AI charge (docs/input-files.md, "Invoices").
public enum AISelection: String, Sendable {
    /// A provider's own cost report: every line is.
    case provider
    /// A model-serving service (Amazon Bedrock, Azure OpenAI / AI Foundry, Vertex AI, …).
    case service
    /// `ServiceCategory` "AI and Machine Learning" with a model or tokens named.
    case category
    /// Its model matches a `models:` glob of the price book.
    case priceBook = "price book"
    /// The `invoices:` entry's `include` names its service.
    case option
    /// Only a model-like name: kept if a measured model has that name, else set aside.
    case modelName = "model name"
}

/// Lines and cost of a whole-account file set aside as not AI, per service.
public struct SetAside: Sendable, Equatable {
    public let service: String
    public var lines: Int
    /// In ``currency``, as billed.
    public var cost: Decimal
    public let currency: String
}

/// What a file holds besides its AI charges: how many lines, which period, what was set aside.
public struct InvoiceSummary: Sendable, Equatable {
    /// Data lines read (the header not counted).
    public var lineCount = 0
    /// The earliest charge start and the latest charge end of all its lines.
    public var start: Date?
    public var end: Date?
    /// Lines (AI or not) starting inside the report's period, and their cost, by currency.
    public var linesInPeriod = 0
    public var costInPeriod: [String: Decimal] = [:]
    public var cost: [String: Decimal] = [:]
    /// Not AI, by service, largest cost first once read.
    public var setAside: [SetAside] = []

    public init() {}

    /// Counts one line of the file.
    mutating func count(start: Date, end: Date, amount: Decimal, currency: String, inside: Bool) {
        lineCount += 1
        self.start = min(self.start ?? start, start)
        self.end = max(self.end ?? end, end)
        cost[currency, default: 0] += amount
        if inside {
            linesInPeriod += 1
            costInPeriod[currency, default: 0] += amount
        }
    }

    /// Adds a line to the set-aside of its service.
    mutating func setAside(service: String, amount: Decimal, currency: String) {
        let name = service.isEmpty ? "(no service)" : service
        if let index = setAside.firstIndex(where: { $0.service == name && $0.currency == currency }) {
            setAside[index].lines += 1
            setAside[index].cost += amount
        } else {
            setAside.append(SetAside(service: name, lines: 1, cost: amount, currency: currency))
        }
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

    /// Lines, period and what was set aside as not AI.
    public var summary: InvoiceSummary

    public init(
        file: String, format: Format, lines: [InvoiceLine], sha256: String, summary: InvoiceSummary? = nil
    ) {
        self.file = file
        self.format = format
        self.lines = lines
        self.sha256 = sha256
        self.summary = summary ?? Self.summarize(lines)
    }

    /// The summary of a file all of whose lines are AI charges (a provider's cost report).
    package static func summarize(_ lines: [InvoiceLine], period: DateInterval? = nil) -> InvoiceSummary {
        var summary = InvoiceSummary()
        for line in lines {
            summary.count(
                start: line.start, end: line.end, amount: line.amount, currency: line.currency,
                inside: period.map { line.start >= $0.start && line.start < $0.end } ?? false)
        }
        return summary
    }

    public var total: Decimal { lines.reduce(0) { $0 + $1.amount } }
}
