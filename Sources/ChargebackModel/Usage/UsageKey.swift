import Foundation

/// The dimensions usage is measured and priced by: one row of the usage table per hour.
public struct UsageKey: Hashable, Sendable, Comparable {
    public let gateway: String
    public let model: String
    public let tokenType: String
    public let system: String
    /// Values of the extra labels team rules look at, in ``UsageDimensions/extraLabels`` order.
    public let extras: [String]

    public init(gateway: String, model: String, tokenType: String, system: String, extras: [String] = []) {
        self.gateway = gateway
        self.model = model
        self.tokenType = tokenType
        self.system = system
        self.extras = extras
    }

    /// By gateway, model, token type, system, then the extra values (each field compared once:
    /// sorting thousands of per-user keys is on the report's path).
    public static func < (a: UsageKey, b: UsageKey) -> Bool {
        if a.gateway != b.gateway { return a.gateway < b.gateway }
        if a.model != b.model { return a.model < b.model }
        if a.tokenType != b.tokenType { return a.tokenType < b.tokenType }
        if a.system != b.system { return a.system < b.system }
        return a.extras.lexicographicallyPrecedes(b.extras)
    }
}

/// Turns a series' labels into its ``UsageKey``, following the configured label names.
public struct UsageDimensions: Sendable, Equatable {
    public let labels: LabelNames
    /// Label names beyond the four logical ones that allocation rules need.
    public let extraLabels: [String]
    /// Labels beyond ``DoubleScrape/scrapeLabels`` in which two copies of one scraped counter may differ.
    public let dedupeLabels: [String]

    public init(labels: LabelNames, extraLabels: [String], dedupeLabels: [String] = []) {
        self.labels = labels
        self.extraLabels = extraLabels
        self.dedupeLabels = dedupeLabels
    }

    /// The key for a series; missing labels become the empty string.
    public func key(for series: [String: String]) -> UsageKey {
        var model = series[labels.model] ?? ""
        if let fallback = labels.modelFallback, model.isEmpty || model == "unknown" {
            model = series[fallback] ?? model
        }
        return UsageKey(
            gateway: series[labels.gateway] ?? "", model: model,
            tokenType: series[labels.tokenType] ?? "", system: series[labels.system] ?? "",
            extras: extraLabels.map { series[$0] ?? "" })
    }

    /// The value of a rule key (`gateway`, `model`, `token_type`, `system`, or an extra label) on `key`.
    public func value(of ruleKey: String, in key: UsageKey) -> String {
        switch ruleKey {
        case "gateway": return key.gateway
        case "model": return key.model
        case "token_type": return key.tokenType
        case "system": return key.system
        default:
            guard let index = extraLabels.firstIndex(of: ruleKey), index < key.extras.count else { return "" }
            return key.extras[index]
        }
    }
}
