import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class RuleGeneratorTests: XCTestCase {
    let now = RulesFixtures.instant("2026-11-01")

    func testEveryWindowHasTokensAndCostPerGatewayPerModelAndInTotal() throws {
        let rules = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now)
        let names = Set(rules.recordingRules.map(\.record))
        for window in ["hourly", "daily", "weekly", "monthly"] {
            for name in [
                "tokens:by_gateway_model_type", "tokens:by_gateway", "tokens:by_model", "tokens:total",
                "cost_usd:by_gateway_model_type", "cost_usd:by_gateway", "cost_usd:by_model", "cost_usd:total",
            ] {
                XCTAssertTrue(names.contains("agentgateway:\(name)_\(window)"), "agentgateway:\(name)_\(window)")
            }
        }
        XCTAssertTrue(
            names.isSuperset(of: [
                "agentgateway:cost_usd:by_gateway", "agentgateway:input_tokens:total",
                "agentgateway:output_tokens:total",
            ]), "the names existing dashboards use are kept")
        XCTAssertEqual(
            rules.groups.map(\.name),
            [
                "agentgateway-cost-1h", "agentgateway-cost-24h", "agentgateway-cost-7d",
                "agentgateway-cost-30d",
            ])
        XCTAssertEqual(
            rules.expression(of: "agentgateway:tokens:by_gateway_model_type_monthly"),
            "sum by (gateway, gen_ai_request_model, gen_ai_token_type, gen_ai_system) "
                + #"(increase(agentgateway_gen_ai_client_token_usage_sum[30d]))"#)
        XCTAssertEqual(rules.diagnostics.map(\.severity), [.note], "only the Vertex Claude cache rule, approximated")
    }

    /// Each rule, and each alert's breakdown query, reads only the raw counter or rules recorded
    /// before it in the same group: it never sees a value older than this evaluation.
    func testRulesOnlyReadEarlierRulesOfTheirGroup() throws {
        let rules = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now)
        var alerts = 0
        for group in rules.groups {
            var earlier: Set<String> = ["agentgateway_gen_ai_client_token_usage_sum"]
            for rule in group.rules {
                switch rule {
                case .recording(let recording):
                    let read = PromQLNames.metrics(in: recording.expr)
                    XCTAssertFalse(read.isEmpty, recording.record)
                    XCTAssertTrue(read.isSubset(of: earlier), "\(recording.record) reads \(read.subtracting(earlier))")
                    earlier.insert(recording.record)
                case .alert(let alert):
                    let query = try XCTUnwrap(
                        alert.description.range(of: #"(?<=query ")[^"]*"#, options: .regularExpression))
                    let read = PromQLNames.metrics(in: alert.expr).union(
                        PromQLNames.metrics(in: String(alert.description[query])))
                    XCTAssertEqual(read.count, 2, alert.alert)
                    XCTAssertTrue(read.isSubset(of: earlier), "\(alert.alert) reads \(read.subtracting(earlier))")
                    alerts += 1
                }
            }
        }
        XCTAssertEqual(alerts, 4)
    }

    func testAlertsFollowTheSeedsWithTheConfiguredThresholds() throws {
        let rules = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now)
        let alerts = Dictionary(uniqueKeysWithValues: rules.alerts.map { ($0.alert, $0) })
        XCTAssertEqual(alerts.count, 4)
        let expected: [(String, String, String, String)] = [
            ("AgentGatewayDailyCostExceeded", "agentgateway:cost_usd:total_daily >= 50", "5m", "warning"),
            ("AgentGatewayWeeklyCostExceeded", "agentgateway:cost_usd:total_weekly >= 200", "5m", "warning"),
            ("AgentGatewayMonthlyCostExceeded", "agentgateway:cost_usd:total_monthly >= 500", "5m", "critical"),
            ("AgentGatewayHighCostRate", "agentgateway:cost_usd:total_hourly * 24 > 50", "15m", "warning"),
        ]
        for (name, expr, duration, severity) in expected {
            let alert = try XCTUnwrap(alerts[name], name)
            XCTAssertEqual(alert.expr, expr)
            XCTAssertEqual(alert.forDuration, duration)
            XCTAssertEqual(alert.severity, severity)
            XCTAssertTrue(
                alert.description.contains(#"{{ index .Labels "gateway" }}"#), "per-gateway breakdown: \(name)")
        }
        XCTAssertTrue(
            alerts["AgentGatewayDailyCostExceeded"]!.description
                .contains(#"query "sort_desc(agentgateway:cost_usd:by_gateway_daily)""#))
        XCTAssertTrue(
            alerts["AgentGatewayHighCostRate"]!.description
                .contains(#"query "sort_desc(agentgateway:cost_usd:by_gateway_hourly * 24)""#))
    }

    func testMissingThresholdsGiveNoAlerts() throws {
        let config = try RulesFixtures.config(
            metrics: "tokens: tok", models: #"  - { match: "m*", prices: [{ from: 2026-01-01, input: 1 }] }"#,
            thresholds: "{ weekly_usd: 10 }")
        let rules = try RuleGenerator.generate(config: config, at: now)
        XCTAssertEqual(rules.alerts.map(\.alert), ["AgentGatewayWeeklyCostExceeded"])
    }

    func testPricesAreDecimalTextPerModelAndTokenTypeWithTheCacheConvention() throws {
        let rules = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now)
        let cost = try XCTUnwrap(rules.expression(of: "agentgateway:cost_usd:by_gateway_model_type_daily"))
        let detail = "agentgateway:tokens:by_gateway_model_type_daily"
        for term in [
            #"\#(detail){gen_ai_token_type="output", gen_ai_request_model=~"claude-3-5-haiku.*"} * 4 / 1000000"#,
            #"\#(detail){gen_ai_token_type=~"input_cache_read|cache_read", gen_ai_request_model=~"claude-3-5-haiku.*"} * 0.08 / 1000000"#,
            #"\#(detail){gen_ai_token_type=~"input_cache_write|cache_write|input_cache_creation", gen_ai_request_model=~"claude-sonnet-4-5.*"} * 3.75 / 1000000"#,
            #"\#(detail){gen_ai_token_type="input", gen_ai_request_model=~"gpt-4o-2024-08-06", gen_ai_system=~"anthropic|aws\\.bedrock"}"#,
            #"- on (gateway, gen_ai_request_model, gen_ai_system) group_left sum by (gateway, gen_ai_request_model, gen_ai_system) (\#(detail){gen_ai_token_type=~"input_cache_read|input_cache_write", gen_ai_request_model=~"gpt-4o-2024-08-06", gen_ai_system!~"anthropic|aws\\.bedrock"})"#,
            ") * 2.5 / 1000000",
        ] {
            XCTAssertTrue(cost.contains(term), "missing \(term) in\n\(cost)")
        }
        XCTAssertFalse(
            cost.contains("cache_write|input_cache_creation\", gen_ai_request_model=~\"gpt-4o"),
            "gpt-4o has no cache_write price: no term")
        XCTAssertFalse(cost.contains("!~\"claude"), "the sample's globs cannot overlap: no exclusions")
    }

    /// The cache rules in force at `--at`, first match wins, as provider matchers; a rule on other
    /// labels is approximated by provider with a diagnostic.
    func testCacheRulesInForceAtBecomeProviderMatchers() throws {
        let config = try RulesFixtures.config(
            metrics: """
                input_includes_cache:
                  - { from: 2026-12-01, includes: true }
                  - { match: { system: "azure*" }, includes: false }
                  - { match: { system: openai }, includes: true }
                  - { match: { system: mistral, route: "batch-*" }, includes: true }
                  - { match: { system: mistral }, includes: false }
                """, models: #"  - { match: "m*", prices: [{ from: 2026-01-01, input: 1 }] }"#)
        let before = try RuleGenerator.generate(config: config, at: now)
        let cost = try XCTUnwrap(before.expression(of: "agentgateway:cost_usd:by_gateway_model_type_hourly"))
        // azure* excludes; openai includes; mistral excludes; anthropic and aws.bedrock exclude (defaults); the rest includes.
        XCTAssertTrue(cost.contains(#"gen_ai_system=~"azure.*"}"#), cost)
        XCTAssertTrue(cost.contains(#"gen_ai_system=~"openai", gen_ai_system!~"azure.*""#), cost)
        XCTAssertTrue(
            cost.contains(#"gen_ai_system=~"mistral|anthropic|aws\\.bedrock", gen_ai_system!~"azure.*|openai""#),
            cost)
        XCTAssertTrue(cost.contains(#"gen_ai_system!~"azure.*|openai|mistral|anthropic|aws\\.bedrock"}"#), cost)
        let approximated = before.diagnostics.map(\.message).filter { $0.contains("approximate") }
        XCTAssertEqual(approximated.count, 2, "the route rule and the Vertex Claude default: \(approximated)")
        XCTAssertTrue(
            approximated[0].contains("route") && approximated[0].contains("chargeback.yaml:7"), approximated[0])
        XCTAssertEqual(before.diagnostics.first?.location, .file(config.filePath(role: "config"), line: 7, column: 7))

        // From 2026-12-01 the first rule includes for every provider: one term, no provider matcher.
        let after = try RuleGenerator.generate(config: config, at: RulesFixtures.instant("2026-12-02"))
        let later = try XCTUnwrap(after.expression(of: "agentgateway:cost_usd:by_gateway_model_type_hourly"))
        XCTAssertFalse(later.contains("gen_ai_system=~") || later.contains("gen_ai_system!~"), later)
        XCTAssertTrue(later.contains("clamp_min("), later)
        XCTAssertTrue(after.diagnostics.isEmpty, "\(after.diagnostics)")
    }

    func testFirstMatchingEntryWinsAndLaterPricesApplyFromTheirDate() throws {
        let config = try RulesFixtures.config(
            metrics: "tokens: tok",
            models: """
                  - { match: "claude-opus-4*", prices: [{ from: 2026-01-01, input: 15, output: 75 }] }
                  - { match: "claude-*", prices: [{ from: 2026-01-01, input: 3, output: 15 }, { from: 2026-12-01, input: 2, output: 10 }] }
                  - { match: "gpt-5", prices: [{ from: 2027-01-01, input: 1.25, output: 10 }] }
                """)
        let before = try RuleGenerator.generate(config: config, at: now)
        let cost = try XCTUnwrap(before.expression(of: "agentgateway:cost_usd:by_gateway_model_type_hourly"))
        XCTAssertTrue(
            cost.contains(
                #"gen_ai_request_model=~"claude-.*", gen_ai_request_model!~"claude-opus-4.*"} * 15 / 1000000"#),
            cost)
        XCTAssertTrue(
            cost.contains(#"{gen_ai_token_type="output", gen_ai_request_model=~"claude-opus-4.*"} * 75 / 1000000"#))
        XCTAssertFalse(cost.contains("gpt-5"), "no price in force yet")
        let warnings = before.diagnostics.filter { $0.severity == .warning }
        XCTAssertEqual(warnings.count, 1, "\(before.diagnostics)")
        XCTAssertTrue(warnings[0].message.contains("'gpt-5'"), warnings[0].message)

        let after = try RuleGenerator.generate(config: config, at: RulesFixtures.instant("2027-02-01"))
        let later = try XCTUnwrap(after.expression(of: "agentgateway:cost_usd:by_gateway_model_type_hourly"))
        XCTAssertTrue(later.contains(#"gen_ai_request_model!~"claude-opus-4.*"} * 10 / 1000000"#), later)
        XCTAssertTrue(
            later.contains(#"{gen_ai_token_type="output", gen_ai_request_model=~"gpt-5"} * 10 / 1000000"#), later)
        XCTAssertFalse(after.diagnostics.contains { $0.severity == .warning }, "\(after.diagnostics)")
    }

    func testConfiguredNamesSelectorAndEscapingAreUsed() throws {
        let config = try RulesFixtures.config(
            metrics: #"""
                tokens: llm_tokens_total
                selector: 'env="prod", cluster=~"eu-.*"'
                labels: { gateway: gateway_instance, model: gen_ai_response_model, token_type: kind, system: provider }
                input_includes_cache: { "we\"ird": true, default: false }
                """#, models: #"  - { match: "mod\"el.v1*", prices: [{ from: 2026-01-01, input: 1, output: 2 }] }"#)
        let rules = try RuleGenerator.generate(config: config, at: now)
        XCTAssertEqual(
            rules.expression(of: "agentgateway:tokens:by_gateway_model_type_hourly"),
            "sum by (gateway_instance, gen_ai_response_model, kind, provider) "
                + #"(increase(llm_tokens_total{env="prod", cluster=~"eu-.*"}[1h]))"#)
        let cost = try XCTUnwrap(rules.expression(of: "agentgateway:cost_usd:by_gateway_model_type_hourly"))
        XCTAssertTrue(cost.contains(#"gen_ai_response_model=~"mod\"el\\.v1.*""#), cost)
        XCTAssertTrue(
            cost.contains(#"provider=~"we\"ird""#), "default false: only the listed provider includes cache\n\(cost)")
        XCTAssertTrue(cost.contains(#"provider!~"we\"ird""#), cost)
        XCTAssertEqual(
            rules.expression(of: "agentgateway:cost_usd:by_gateway_daily"),
            "sum by (gateway_instance) (agentgateway:cost_usd:by_gateway_model_type_daily)")
    }

    func testModelFallbackIsAppliedInTheTokenRule() throws {
        let config = try RulesFixtures.config(
            metrics: "labels: { model: gen_ai_response_model, model_fallback: gen_ai_request_model }",
            models: #"  - { match: "m*", prices: [{ from: 2026-01-01, input: 1 }] }"#)
        let rules = try RuleGenerator.generate(config: config, at: now)
        let tokens = try XCTUnwrap(rules.expression(of: "agentgateway:tokens:by_gateway_model_type_daily"))
        XCTAssertTrue(
            tokens.contains(
                #"label_replace(increase(agentgateway_gen_ai_client_token_usage_sum{gen_ai_response_model=~"|unknown"}[24h]), "gen_ai_response_model", "$1", "gen_ai_request_model", "(.+)")"#
            ),
            tokens)
        XCTAssertThrowsError(try RuleGenerator.generate(config: config, at: now, mode: .inline))
    }

    func testInlineExpressionsReadOnlyTheRawCounter() throws {
        let rules = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now, mode: .inline)
        for rule in rules.recordingRules {
            XCTAssertEqual(
                PromQLNames.metrics(in: rule.expr), ["agentgateway_gen_ai_client_token_usage_sum"], rule.record)
        }
        let recorded = try RuleGenerator.generate(config: try RulesFixtures.sampleConfig(), at: now)
        XCTAssertEqual(rules.recordingRules.map(\.record), recorded.recordingRules.map(\.record))
    }
}
