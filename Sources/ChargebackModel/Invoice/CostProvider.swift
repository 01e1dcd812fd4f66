import Foundation

/// A provider whose cost API `report` and `invoices fetch` read the bill from.
public enum CostProvider: String, Sendable, CaseIterable {
    case anthropic, openai

    /// The API's name in messages.
    public var apiName: String {
        switch self {
        case .anthropic: "the Anthropic Admin API cost report"
        case .openai: "the OpenAI organization costs API"
        }
    }

    /// Where the API is when `url:` does not say.
    public var defaultURL: URL {
        switch self {
        case .anthropic: URL(string: "https://api.anthropic.com")!
        case .openai: URL(string: "https://api.openai.com")!
        }
    }

    /// The format the existing invoice parsers read its pages as.
    public var format: Invoice.Format {
        switch self {
        case .anthropic: .anthropic
        case .openai: .openai
        }
    }
}
