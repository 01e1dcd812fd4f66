import ChargebackModel
import Foundation

/// `attribution:`: agentgateway's request log as the source of who spent the counted tokens.
public struct AttributionSettings: Sendable, Equatable {
    /// The log's database, read as the usage store is reached (`url`, password, TLS).
    public var database: StoreSettings
    public var identity: AttributionIdentity
    public var match: AttributionMatch
    /// The scrape interval: tokens logged this close to an hour's end may be counted in the next.
    public var scrapeIntervalSeconds: Int64

    public init(
        database: StoreSettings, identity: AttributionIdentity = .user, match: AttributionMatch = .gateway,
        scrapeIntervalSeconds: Int64 = 60
    ) {
        self.database = database
        self.identity = identity
        self.match = match
        self.scrapeIntervalSeconds = scrapeIntervalSeconds
    }

    /// The label the log's identities are keyed by (``AttributionIdentity/label``).
    public var label: String { identity.label }

    /// `{ source: agentgateway-log, url: sqlite:///… | postgres://…, password_file | password_env,
    /// tls, identity: user | group | api_key, match: gateway | model, scrape_interval: 1m }`.
    /// - Throws: ``InputError`` at the offending key.
    static func parse(_ node: YAMLValue, base: URL) throws -> AttributionSettings {
        let own = ["source", "identity", "match", "scrape_interval"]
        let source = try node.required("source")
        _ = try source.oneOf(["agentgateway-log"])
        let database = try StoreSettingsParser.parse(node, base: base, extraKeys: own)
        var settings = AttributionSettings(database: database)
        if let identity = try node.optional("identity") {
            settings.identity = AttributionIdentity(
                rawValue: try identity.oneOf(AttributionIdentity.allCases.map(\.rawValue)))!
        }
        if let match = try node.optional("match") {
            settings.match = AttributionMatch(rawValue: try match.oneOf(AttributionMatch.allCases.map(\.rawValue)))!
        }
        if let interval = try node.optional("scrape_interval") {
            let seconds = try interval.duration()
            guard seconds >= 1 && seconds <= 3600 else { throw interval.error("expected 1s to 1h") }
            settings.scrapeIntervalSeconds = Int64(seconds.rounded())
        }
        return settings
    }
}
