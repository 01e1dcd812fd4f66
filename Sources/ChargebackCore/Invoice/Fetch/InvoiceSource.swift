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
    var format: Invoice.Format {
        switch self {
        case .anthropic: .anthropic
        case .openai: .openai
        }
    }
}

/// An `invoices:` entry that fetches the bill from a provider's cost API instead of naming a file:
/// `{ provider: anthropic, key_file: /run/secrets/anthropic-admin-key }` (docs/input-files.md).
public struct InvoiceSource: Sendable, Equatable {
    public var provider: CostProvider
    /// The admin key's file or environment variable; the key itself is never in the config.
    public var key: SecretSource
    /// The API's base URL (a proxy's, or a test server's); the endpoint path is added to it.
    public var url: URL
    public var tls = TLSSettings()
    /// Seconds per request.
    public var timeout: Double = 60
    /// Extra attempts on connection errors, timeouts, 429 and 5xx.
    public var retries = 4
    /// Where the entry is written (`chargeback.yaml:31:5`), for messages.
    public var origin = ""

    public init(provider: CostProvider, key: SecretSource, url: URL? = nil) {
        self.provider = provider
        self.key = key
        self.url = url ?? provider.defaultURL
    }

    /// The base URL for messages and the manifest (never holds credentials).
    public var displayURL: String { url.absoluteString }
}
