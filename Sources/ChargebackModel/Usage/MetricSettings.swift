import Foundation

/// Names of the label that carries each logical dimension.
public struct LabelNames: Sendable, Equatable {
    public var gateway = "gateway"
    public var model = "gen_ai_request_model"
    /// Used when `model` is missing, empty or `unknown` (agentgateway's response model without a response).
    public var modelFallback: String? = nil
    public var tokenType = "gen_ai_token_type"
    public var system = "gen_ai_system"
    /// The model the provider answered with (often a dated id), used to match invoice lines the
    /// price book's globs do not map to a measured model.
    public var responseModel = "gen_ai_response_model"
    public init() {}

    /// The Prometheus label name behind a rule key: logical names map through the settings,
    /// anything else is taken as a label name as it stands.
    public func labelName(for key: String) -> String {
        switch key {
        case "gateway": gateway
        case "model": model
        case "token_type": tokenType
        case "system": system
        default: key
        }
    }
}

/// Which series to read and how to read their labels.
public struct MetricSettings: Sendable, Equatable {
    public var tokens = "agentgateway_gen_ai_client_token_usage_sum"
    public var requests: String? = "agentgateway_gen_ai_client_token_usage_count"
    public var cost: String? = "agentgateway_gen_ai_client_cost_usd_total"
    /// Extra matchers, e.g. `{namespace="kgateway-system"}` (braces optional).
    public var selector = ""
    public var labels = LabelNames()
    /// Whether the `input` counter already includes cache tokens: ordered rules, then agentgateway's defaults.
    public var inputIncludesCache = CacheRules()
    /// Labels, besides `job`, `endpoint`, `service` and `prometheus_replica`, in which two series
    /// may differ and still be one counter of one target scraped twice (counted once).
    public var dedupeLabels: [String] = []
    public init() {}

    /// The PromQL selector for a metric with the configured extra matchers.
    public func selector(for metric: String) -> String {
        var inner = selector.trimmingCharacters(in: .whitespaces)
        if inner.hasPrefix("{") && inner.hasSuffix("}") { inner = String(inner.dropFirst().dropLast()) }
        return inner.isEmpty ? metric : "\(metric){\(inner)}"
    }
}
