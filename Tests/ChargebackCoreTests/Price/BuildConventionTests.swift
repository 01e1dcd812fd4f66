import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// agentgateway's own cache convention by the build each target reports: through v1.4.1 by the
/// upstream's wire format, after it `input` includes cache tokens for every provider.
final class BuildConventionTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    /// Every model at 1 per million input and output tokens, cache tokens free.
    var book: PriceBook {
        PriceBook(
            currency: "USD",
            models: [
                ModelPricing(
                    match: Glob("*"),
                    prices: [
                        PricePoint(
                            from: DateText.parseDay("2026-01-01", in: utc)!, input: 1, output: 1, cacheRead: 0,
                            cacheWrite: 0)
                    ])
            ], unpriced: .error)
    }

    /// The billable input of one hour with 1,000 input and 300 cache-read tokens.
    func billable(system: String, model: String, build: String?, rules: CacheRules = CacheRules()) throws
        -> (tokens: Int64, rule: String)
    {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        var metrics = MetricSettings()
        metrics.inputIncludesCache = rules
        let dimensions = UsageDimensions(labels: metrics.labels, extraLabels: [])
        func hours(_ tokens: Int64) -> [Int64] { (0..<buckets.hourCount).map { $0 == 5 ? tokens : 0 } }
        let series: [(labels: [String: String], hourly: [Int64])] = [
            (
                [
                    "gateway": "gw", "gen_ai_request_model": model, "gen_ai_token_type": "input",
                    "gen_ai_system": system,
                    "pod": "gw-0",
                ], hours(1000)
            )
        ]
        let newer = BuildConvention.newerBuilds(
            series: series, tags: build.map { ["gw-0": $0] } ?? [:],
            dimensions: dimensions)
        let input = UsageKey(gateway: "gw", model: model, tokenType: "input", system: system)
        let usage = [
            input: hours(1000),
            UsageKey(gateway: "gw", model: model, tokenType: "input_cache_read", system: system): hours(300),
        ]
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: metrics, dimensions: dimensions,
            pricingFile: "pricing.yaml", newerBuilds: newer)
        let line = try XCTUnwrap(priced.lines.first { $0.key.tokenType == "input" })
        return (line.billableTokens, try XCTUnwrap(priced.cacheRules.first).rule.origin)
    }

    func testTheBillableInputPerProviderFormatAndVersion() throws {
        let older = "agentgateway v1.4.x default"
        let newer = "agentgateway after v1.4.1, by agentgateway_build_info"
        let table: [(system: String, model: String, build: String?, billable: Int64, rule: String)] = [
            ("anthropic", "claude-sonnet-4-5", "v1.4.1", 1000, older),
            ("anthropic", "claude-sonnet-4-5", "v1.5.0", 700, newer),
            ("aws.bedrock", "anthropic.claude-sonnet-4-5", "v1.4.1", 1000, older),
            ("aws.bedrock", "anthropic.claude-sonnet-4-5", "v1.4.2", 700, newer),
            ("gcp.vertex_ai", "claude-sonnet-4-5", "v1.3.0", 1000, older),
            ("gcp.vertex_ai", "gemini-2.5-pro", "v1.3.0", 700, older),
            ("openai", "gpt-4o", "v1.2.0", 700, older),
            ("openai", "gpt-4o", "v1.5.0", 700, newer),
            ("azure.openai", "gpt-4o", "v1.1.0", 700, older),
            ("anthropic", "claude-sonnet-4-5", nil, 1000, older),
            ("anthropic", "claude-sonnet-4-5", "main", 1000, older),
        ]
        for row in table {
            let (tokens, rule) = try billable(system: row.system, model: row.model, build: row.build)
            XCTAssertEqual(tokens, row.billable, "\(row.system) \(row.model) \(row.build ?? "no build")")
            XCTAssertEqual(rule, row.rule, "\(row.system) \(row.model) \(row.build ?? "no build")")
        }
    }

    /// A configured rule decides whatever the build says.
    func testAConfiguredRuleWinsOverTheBuild() throws {
        let rules = CacheRules([
            CacheRule(match: ["system": Glob("anthropic")], includes: false, origin: "chargeback.yaml:9")
        ])
        let (tokens, rule) = try billable(
            system: "anthropic", model: "claude-sonnet-4-5", build: "v1.5.0", rules: rules)
        XCTAssertEqual(tokens, 1000)
        XCTAssertEqual(rule, "chargeback.yaml:9")
    }

    /// In an hour served by old and new pods (a rolling upgrade) the builds with more tokens decide.
    func testARollingUpgradeHourGoesByTheMajorityOfTokens() {
        let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])
        func series(_ pod: String, _ hourly: [Int64]) -> (labels: [String: String], hourly: [Int64]) {
            (
                [
                    "gateway": "gw", "gen_ai_request_model": "m", "gen_ai_token_type": "input",
                    "gen_ai_system": "anthropic",
                    "pod": pod,
                ], hourly
            )
        }
        let newer = BuildConvention.newerBuilds(
            series: [
                series("old-0", [500, 400, 0, 0]), series("new-0", [0, 100, 600, 0]),
                series("unknown-0", [0, 0, 0, 900]),
            ],
            tags: ["old-0": "v1.4.1", "new-0": "v1.5.0"], dimensions: dimensions)
        XCTAssertEqual(
            newer[UsageKey(gateway: "gw", model: "m", tokenType: "input", system: "anthropic")],
            [false, false, true, nil])
    }

    /// A day whose pod is replaced by a newer build at 09:00: priced hour by hour, and one warning
    /// per gateway and provider names the switch and both conventions (none where both include).
    func testAnUpgradeInsideThePeriodIsPricedHourByHourAndSaidSo() throws {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        let metrics = MetricSettings()
        let dimensions = UsageDimensions(labels: metrics.labels, extraLabels: [])
        let switchHour = 9
        func hours(before: Int64, after: Int64) -> [Int64] {
            (0..<buckets.hourCount).map { $0 < switchHour ? before : after }
        }
        var usage: [UsageKey: [Int64]] = [:]
        var series: [(labels: [String: String], hourly: [Int64])] = []
        for (system, model) in [
            ("anthropic", "claude-sonnet-4-5"), ("anthropic", "claude-3-5-haiku"), ("openai", "gpt-4o"),
        ] {
            usage[UsageKey(gateway: "gw", model: model, tokenType: "input", system: system)] = hours(
                before: 1000, after: 1000)
            usage[UsageKey(gateway: "gw", model: model, tokenType: "input_cache_read", system: system)] = hours(
                before: 300, after: 300)
            for (pod, before, after) in [("gw-old", Int64(1000), Int64(0)), ("gw-new", 0, 1000)] {
                let labels = [
                    "gateway": "gw", "gen_ai_request_model": model, "gen_ai_token_type": "input",
                    "gen_ai_system": system, "pod": pod,
                ]
                series.append((labels, hours(before: before, after: after)))
            }
        }
        let newer = BuildConvention.newerBuilds(
            series: series, tags: ["gw-old": "v1.4.1", "gw-new": "v1.5.0"], dimensions: dimensions)
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: metrics, dimensions: dimensions,
            pricingFile: "pricing.yaml", newerBuilds: newer)
        let sonnet = try XCTUnwrap(
            priced.lines.first { $0.key.model == "claude-sonnet-4-5" && $0.key.tokenType == "input" })
        XCTAssertEqual(sonnet.hourlyBillable, hours(before: 1000, after: 700))
        let gpt = try XCTUnwrap(priced.lines.first { $0.key.model == "gpt-4o" && $0.key.tokenType == "input" })
        XCTAssertEqual(gpt.hourlyBillable, hours(before: 700, after: 700))
        let changes = priced.diagnostics.filter { $0.message.contains("the cache convention changes") }
        XCTAssertEqual(changes.count, 1, "\(priced.diagnostics)")
        XCTAssertEqual(changes.first?.severity, .warning)
        XCTAssertEqual(
            changes.first?.message,
            "gw (provider 'anthropic', claude-3-5-haiku, claude-sonnet-4-5): the cache convention changes in the "
                + "period: input excludes cache tokens (agentgateway v1.4.x default) until 2026-10-01T09:00:00Z, then "
                + "includes cache tokens (agentgateway after v1.4.1, by agentgateway_build_info); each hour is priced "
                + "with the rule in force")
    }
}
