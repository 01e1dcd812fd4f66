import ChargebackModel
import Foundation

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
