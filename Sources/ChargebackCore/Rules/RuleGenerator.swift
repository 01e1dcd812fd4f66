import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The Rules stage: Prometheus recording rules and alerts from the config and the price book,
/// the live half of what `report` computes in batch.
///
/// Per window (1h, 24h, 7d, 30d) one group holds, in evaluation order:
/// - the tokens per gateway, model, token type and provider (the only rule reading the raw counter),
/// - their cost at the prices in force at `at` (the only rule holding prices),
/// - tokens and cost summed per gateway, per model and in total,
/// - the names existing dashboards use (1h and 24h groups),
/// - the alert on that window's total (each alert follows the rules it reads in the same group,
///   so it always sees this evaluation's values, whatever order the groups run in).
public enum RuleGenerator {
    /// Builds the rule set.
    /// - Parameters:
    ///   - at: the instant whose prices are used (usually now). A 30-day window is priced
    ///     entirely at these prices: regenerate when a new price comes into force.
    ///   - mode: ``ExpressionMode/recorded`` for the rule file; ``ExpressionMode/inline`` for
    ///     expressions that evaluate on a Prometheus running no rules.
    /// - Throws: ``InputError`` when the config cannot be expressed (see ``ExpressionMode``).
    public static func generate(config: ChargebackConfig, at: Date, mode: ExpressionMode = .recorded) throws -> RuleSet
    {
        let labels = config.metrics.labels
        var defined: [String: String] = [:]
        /// How an expression refers to an earlier rule: by name, or by its parenthesised expression.
        func reference(_ name: String) -> String {
            mode == .recorded ? name : "(\n" + (defined[name] ?? name) + "\n)"
        }
        var groups: [RuleGroup] = []
        var unpriced: [String] = []
        let alerts = CostAlerts.rules(thresholds: config.thresholds, gatewayLabel: labels.gateway, reference: reference)
        for window in RuleWindow.allCases {
            let source = TokenSource(metrics: config.metrics, window: window, mode: mode)
            let cost = try CostExpression(book: config.pricing, at: at, metrics: config.metrics).build(source: source)
            unpriced = cost.unpriced
            var rules: [RecordingRule] = []
            func record(_ name: String, _ expr: String) {
                rules.append(RecordingRule(record: name, expr: expr))
                defined[name] = expr
            }
            let tokens = RuleNames.tokensDetail(window)
            let costs = RuleNames.costDetail(window)
            record(tokens, mode == .recorded ? source.detailExpression : try source.tokens([]))
            record(costs, cost.expr)
            record(
                RuleNames.tokensByGateway(window),
                "sum by (\(labels.gateway), \(labels.tokenType)) (\(reference(tokens)))")
            record(
                RuleNames.tokensByModel(window), "sum by (\(labels.model), \(labels.tokenType)) (\(reference(tokens)))")
            record(RuleNames.tokensTotal(window), "sum by (\(labels.tokenType)) (\(reference(tokens)))")
            record(RuleNames.costByGateway(window), "sum by (\(labels.gateway)) (\(reference(costs)))")
            record(RuleNames.costByModel(window), "sum by (\(labels.model)) (\(reference(costs)))")
            record(RuleNames.costTotal(window), "sum(\(reference(costs))) or vector(0)")
            switch window {
            case .hourly:
                record(RuleNames.seedCostByGateway, reference(RuleNames.costByGateway(.hourly)))
            case .daily:
                for (name, type) in [(RuleNames.seedInputTokens, "input"), (RuleNames.seedOutputTokens, "output")] {
                    record(name, "sum(\(try source.tokens([LabelMatcher(labels.tokenType, .equal, type)])))")
                }
            case .weekly, .monthly:
                break
            }
            let windowAlerts = alerts.filter { $0.window == window }.map { Rule.alert($0.rule) }
            groups.append(
                RuleGroup(
                    name: "agentgateway-cost-\(window.range)", interval: "1m",
                    rules: rules.map(Rule.recording) + windowAlerts))
        }
        let pricing = Diagnostic.Location.file(config.filePath(role: "pricing"))
        let cache = CacheConvention(rules: config.metrics.inputIncludesCache, systemLabel: labels.system, at: at)
        let diagnostics =
            cache.diagnostics
            + unpriced.map {
                Diagnostic.warning(
                    "price entry '\($0)' has no price in force at \(DateText.utc(at)): its usage is left out "
                        + "of the cost rules", at: pricing)
            }
        return RuleSet(groups: groups, header: header(config: config, at: at), diagnostics: diagnostics)
    }

    /// The comment at the top of the file: where it comes from and the prices it holds.
    private static func header(config: ChargebackConfig, at: Date) -> [String] {
        var lines = [
            "Generated by `chargeback rules` from chargeback.yaml and its price book; do not edit by hand:",
            "change pricing.yaml or chargeback.yaml and generate again.",
            "",
            "Prices in USD per million tokens, as in force when generated:",
        ]
        for entry in config.pricing.models {
            guard let point = entry.price(at: at) else {
                lines.append("  \(CostExpression.commentSafe(entry.match.pattern)): no price in force yet (left out)")
                continue
            }
            let prices = TokenKind.allCases.compactMap { kind in point.perMillion(kind).map { "\(kind.rawValue) \($0)" }
            }
            lines.append(
                "  \(CostExpression.commentSafe(entry.match.pattern)) since \(DateText.priceStart(point.from)): "
                    + prices.joined(separator: ", "))
        }
        lines += [
            "",
            "Cost over a window is priced at these prices throughout: generate again when a new price",
            "comes into force. Figures come from PromQL increase(), which extrapolates: they are live",
            "estimates; `chargeback report` gives the exact monthly figures.",
            "Models are matched by anchored regexes made from the price book's globs; an entry excludes",
            "the earlier entries it may share a model with, so the first matching entry wins. Models no",
            "entry matches cost nothing here; `chargeback validate --online` lists them.",
        ]
        return lines
    }
}
