import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// How a generated expression refers to the token counts of a window.
public enum ExpressionMode: Sendable {
    /// Through the recorded per-series rule (`agentgateway:tokens:by_gateway_model_type_daily`):
    /// what the rule file holds, so the raw counter is read once per window.
    case recorded
    /// Straight from the raw counter, so the expression can be evaluated with `/api/v1/query` on a
    /// Prometheus that runs no rules (tests, ad-hoc checks). Not available with `model_fallback`.
    case inline
}

/// Renders the token-count vectors the cost and token rules are built from, for one window.
struct TokenSource {
    let metrics: MetricSettings
    let window: RuleWindow
    let mode: ExpressionMode

    private var labels: LabelNames { metrics.labels }

    /// The labels every detail rule keeps: gateway, model, token type and provider.
    var detailLabels: [String] { [labels.gateway, labels.model, labels.tokenType, labels.system] }

    /// `sum by (…)` over the detail labels, as text.
    var byDetail: String { "sum by (\(detailLabels.joined(separator: ", ")))" }

    /// The expression of the tokens detail rule: per-series `increase()` of the raw counter, summed
    /// per gateway, model, token type and provider. With `model_fallback`, series whose model is
    /// empty or `unknown` take the fallback label's value (as reports do); a marker label keeps
    /// them apart from the others until the sum.
    var detailExpression: String {
        let raw = { (extra: [LabelMatcher]) in
            "increase(\(LabelMatcher.selector(metrics.tokens, configured: metrics.selector, extra: extra))[\(window.range)])"
        }
        guard let fallback = labels.modelFallback else { return "\(byDetail) (\(raw([])))" }
        let known = raw([LabelMatcher(labels.model, .notMatches, "|unknown")])
        let unknown = raw([LabelMatcher(labels.model, .matches, "|unknown")])
        let replaced =
            "label_replace(label_replace(\(unknown), \(PromQLLiteral.string(labels.model)), \"$1\", "
            + "\(PromQLLiteral.string(fallback)), \"(.+)\"), \"chargeback_model_source\", \"fallback\", \"\", \"\")"
        return "\(byDetail) (\n  \(known)\n  or\n  \(replaced)\n)"
    }

    /// The detail token counts restricted by `matchers` (on the detail labels only).
    /// - Throws: ``InputError`` in inline mode when the config sets `model_fallback`.
    func tokens(_ matchers: [LabelMatcher]) throws -> String {
        switch mode {
        case .recorded:
            return LabelMatcher.selector(RuleNames.tokensDetail(window), configured: "", extra: matchers)
        case .inline:
            guard labels.modelFallback == nil else {
                throw InputError(file: nil, "inline rule expressions cannot apply metrics.labels.model_fallback")
            }
            let selector = LabelMatcher.selector(metrics.tokens, configured: metrics.selector, extra: matchers)
            return "\(byDetail) (increase(\(selector)[\(window.range)]))"
        }
    }
}
