import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender

/// The look-back windows of the generated rules, named as existing agentgateway dashboards name them.
public enum RuleWindow: String, CaseIterable, Sendable {
    case hourly, daily, weekly, monthly

    /// The PromQL range: `1h`, `24h`, `7d`, `30d`.
    public var range: String {
        switch self {
        case .hourly: "1h"
        case .daily: "24h"
        case .weekly: "7d"
        case .monthly: "30d"
        }
    }

    /// For people: `1 hour`, `24 hours`, `7 days`, `30 days`.
    public var phrase: String {
        switch self {
        case .hourly: "1 hour"
        case .daily: "24 hours"
        case .weekly: "7 days"
        case .monthly: "30 days"
        }
    }
}

/// Names of the recorded series, following `agentgateway:cost_usd:total_daily`.
public enum RuleNames {
    /// Tokens per gateway, model, token type and provider: the one rule that reads the raw counter.
    public static func tokensDetail(_ window: RuleWindow) -> String {
        "agentgateway:tokens:by_gateway_model_type_\(window)"
    }
    public static func tokensByGateway(_ window: RuleWindow) -> String { "agentgateway:tokens:by_gateway_\(window)" }
    public static func tokensByModel(_ window: RuleWindow) -> String { "agentgateway:tokens:by_model_\(window)" }
    public static func tokensTotal(_ window: RuleWindow) -> String { "agentgateway:tokens:total_\(window)" }
    /// Cost per gateway, model, token type and provider: the one rule that holds prices.
    public static func costDetail(_ window: RuleWindow) -> String {
        "agentgateway:cost_usd:by_gateway_model_type_\(window)"
    }
    public static func costByGateway(_ window: RuleWindow) -> String { "agentgateway:cost_usd:by_gateway_\(window)" }
    public static func costByModel(_ window: RuleWindow) -> String { "agentgateway:cost_usd:by_model_\(window)" }
    public static func costTotal(_ window: RuleWindow) -> String { "agentgateway:cost_usd:total_\(window)" }
    /// The names kept for existing dashboards: hourly cost per gateway, 24 h input and output tokens.
    public static let seedCostByGateway = "agentgateway:cost_usd:by_gateway"
    public static let seedInputTokens = "agentgateway:input_tokens:total"
    public static let seedOutputTokens = "agentgateway:output_tokens:total"
}
