import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The `input_includes_cache` rules: parsing, agentgateway's defaults, dates, contradictions.
final class CacheRulesTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    /// Rules parsed from `metrics.input_includes_cache` text as it stands in chargeback.yaml.
    func rules(_ yaml: String) throws -> CacheRules {
        let root = try YAMLValue.parse("metrics:\n  input_includes_cache:\n" + yaml, file: "chargeback.yaml")
        return try CacheRulesParser.parse(try root.required("metrics").required("input_includes_cache"))
    }

    /// Input and cache-read tokens of one key in every hour of 2026-10-01, priced at 1 USD per
    /// million input tokens; returns the billable input per hour, the priced usage and the key.
    func billable(
        system: String, model: String, input: Int64 = 1_000, cacheRead: Int64 = 300,
        rules: CacheRules = CacheRules(), extras: [String: String] = [:]
    )
        throws -> (hours: [Int64], priced: PricedUsage)
    {
        let buckets = Buckets(period: try Period.parse("2026-10-01", in: utc))
        let prices = [
            PricePoint(
                from: DateText.parseDay("2026-01-01", in: utc)!, input: 1, output: 1, cacheRead: 0,
                cacheWrite: 0)
        ]
        let book = PriceBook(
            currency: "USD", models: [ModelPricing(match: Glob("*"), prices: prices)], unpriced: .error)
        var metrics = MetricSettings()
        metrics.inputIncludesCache = rules
        let dimensions = UsageDimensions(labels: metrics.labels, extraLabels: extras.keys.sorted())
        let values = extras.keys.sorted().map { extras[$0]! }
        func key(_ type: String) -> UsageKey {
            UsageKey(gateway: "gw", model: model, tokenType: type, system: system, extras: values)
        }
        let usage = [
            key("input"): Array(repeating: input, count: buckets.hourCount),
            key("input_cache_read"): Array(repeating: cacheRead, count: buckets.hourCount),
        ]
        let priced = try Pricing.price(
            usage: usage, buckets: buckets, book: book, metrics: metrics,
            dimensions: dimensions, pricingFile: "pricing.yaml")
        let line = try XCTUnwrap(priced.lines.first { $0.key.tokenType == "input" })
        // At 1 USD per million, the cost of an hour is its billable tokens divided by a million.
        let hours = line.hourlyCost.map { Int64(truncating: NSDecimalNumber(decimal: $0 * 1_000_000)) }
        XCTAssertEqual(line.cacheTokensExcluded, line.tokens - hours.reduce(0, +))
        return (hours, priced)
    }

    /// agentgateway's rule per provider and wire format, through v1.4.x and after it: the billable
    /// input of an hour with 1,000 input and 300 cache-read tokens.
    func testBillableInputPerProviderFormatAndVersion() throws {
        // After v1.4.1 (PR #2880) every provider includes cache tokens; the starter file's upgrade rule.
        let upgraded = try rules("    - { from: 2026-09-01, includes: true }\n")
        // The legacy switch keeps the v1.4.x semantics: no rule, the defaults.
        let legacy = CacheRules()
        let table: [(system: String, model: String, version: String, rules: CacheRules, billable: Int64)] = [
            ("anthropic", "claude-sonnet-4-5", "v1.4.x", CacheRules(), 1_000),
            ("aws.bedrock", "anthropic.claude-3-5-sonnet", "v1.4.x", CacheRules(), 1_000),
            ("gcp.vertex_ai", "claude-3-5-sonnet-v2@20241022", "v1.4.x", CacheRules(), 1_000),
            ("gcp.vertex_ai", "gemini-2.0-flash", "v1.4.x", CacheRules(), 700),
            ("openai", "gpt-4o", "v1.4.x", CacheRules(), 700),
            ("azure", "gpt-4o", "v1.4.x", CacheRules(), 700),
            ("azure.openai", "gpt-4o", "v1.1", CacheRules(), 700),
            ("gcp.gemini", "gemini-2.5-pro", "v1.4.x", CacheRules(), 700),
            ("mistral", "mistral-large", "v1.4.x", CacheRules(), 700),
            ("anthropic", "claude-sonnet-4-5", "after v1.4.1", upgraded, 700),
            ("aws.bedrock", "anthropic.claude-3-5-sonnet", "after v1.4.1", upgraded, 700),
            ("gcp.vertex_ai", "claude-3-5-sonnet-v2@20241022", "after v1.4.1", upgraded, 700),
            ("openai", "gpt-4o", "after v1.4.1", upgraded, 700),
            ("anthropic", "claude-sonnet-4-5", "after v1.4.1, legacy semantics", legacy, 1_000),
            ("aws.bedrock", "anthropic.claude-3-5-sonnet", "after v1.4.1, legacy semantics", legacy, 1_000),
        ]
        for row in table {
            let result = try billable(system: row.system, model: row.model, rules: row.rules)
            XCTAssertEqual(Set(result.hours), [row.billable], "\(row.system) \(row.model) \(row.version)")
        }
    }

    /// A Bedrock month keeps its cache tokens out of nothing: its input is billed in full.
    func testABedrockMonthNoLongerLosesItsInput() throws {
        let result = try billable(system: "aws.bedrock", model: "anthropic.claude-3-5-sonnet")
        XCTAssertEqual(result.hours.reduce(0, +), 24 * 1_000)
        XCTAssertEqual(result.priced.cacheRules.map(\.rule.origin), ["agentgateway v1.4.x default"])
        XCTAssertEqual(result.priced.cacheRules.first?.rule.match["system"], Glob("aws.bedrock"))
        XCTAssertEqual(result.priced.cacheRules.first?.tokensExcluded, 0)
    }

    /// The old map by provider becomes rules with the same decisions, `default` last wherever it stands.
    func testTheOldMapParsesToTheSameBehaviour() throws {
        let map = try rules("    { default: false, anthropic: false, openai: true }\n")
        let list = try rules(
            """
                - { match: { system: anthropic }, includes: false }
                - { match: { system: openai }, includes: true }
                - { includes: false }

            """)
        XCTAssertEqual(map.rules.map(\.match), list.rules.map(\.match))
        XCTAssertEqual(map.rules.map(\.includes), [false, true, false])
        XCTAssertEqual(map.rules.map(\.origin), ["chargeback.yaml:3", "chargeback.yaml:3", "chargeback.yaml:3"])
        for system in ["anthropic", "openai", "aws.bedrock", "azure", "x"] {
            let a = try billable(system: system, model: "m", rules: map).hours
            let b = try billable(system: system, model: "m", rules: list).hours
            XCTAssertEqual(a, b, system)
        }
        XCTAssertEqual(try billable(system: "openai", model: "m", rules: map).hours[0], 700)
        XCTAssertEqual(try billable(system: "azure", model: "m", rules: map).hours[0], 1_000, "default: false")
        // Without `default`, providers the map does not name follow agentgateway's rule.
        let partial = try rules("    { openai: false }\n")
        XCTAssertEqual(try billable(system: "openai", model: "m", rules: partial).hours[0], 1_000)
        XCTAssertEqual(try billable(system: "aws.bedrock", model: "m", rules: partial).hours[0], 1_000)
        XCTAssertEqual(try billable(system: "azure", model: "m", rules: partial).hours[0], 700)
    }

    /// A `from:` time switches the rule in the middle of a day: each hour is priced by the rule in force.
    func testAFromDateSwitchesTheRuleMidPeriod() throws {
        let upgrade = try rules("    - { match: { system: anthropic }, from: 2026-10-01T12:00:00Z, includes: true }\n")
        let result = try billable(system: "anthropic", model: "claude-sonnet-4-5", rules: upgrade)
        XCTAssertEqual(Array(result.hours[..<12]), Array(repeating: 1_000, count: 12), "before: excludes (default)")
        XCTAssertEqual(Array(result.hours[12...]), Array(repeating: 700, count: 12), "from 12:00: includes")
        let uses = result.priced.cacheRules
        XCTAssertEqual(
            uses.map(\.rule.origin), ["chargeback.yaml:3", "agentgateway v1.4.x default"],
            "both rules are named, in rule order")
        XCTAssertEqual(uses.map(\.hours), [12, 12])
        XCTAssertEqual(uses.map(\.tokensExcluded), [12 * 300, 0])
        // Other providers are not touched by the rule.
        XCTAssertEqual(try billable(system: "aws.bedrock", model: "m", rules: upgrade).hours[20], 1_000)
    }

    /// A rule on a label beyond the four dimensions reads the key's extras, and the config keeps one
    /// list of extra labels for team rules and cache rules.
    func testARuleOnAnyLabelUsesTheSharedExtraLabels() throws {
        let byRoute = try rules("    - { match: { route: \"batch-*\" }, includes: false }\n")
        XCTAssertEqual(byRoute.extraLabelKeys, ["route"])
        XCTAssertEqual(
            try billable(system: "openai", model: "m", rules: byRoute, extras: ["route": "batch-1"]).hours[0],
            1_000)
        XCTAssertEqual(
            try billable(system: "openai", model: "m", rules: byRoute, extras: ["route": "chat"]).hours[0],
            700)
        var metrics = MetricSettings()
        metrics.inputIncludesCache = byRoute
        let teams = TeamBook(
            teams: [Team(name: "A")],
            rules: [
                TeamRule(
                    match: ["user_id": Glob("*"), "gateway": Glob("*")], action: .team("A"), origin: "teams.yaml:4")
            ], unallocated: .report)
        let config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://127.0.0.1:9090")!),
            metrics: metrics, pricing: PriceBook(currency: "USD", models: [], unpriced: .warn),
            teams: teams, timeZone: utc, thresholds: Thresholds(), gapFactor: 1.5, files: [])
        XCTAssertEqual(config.extraLabelKeys, ["route", "user_id"])
        XCTAssertEqual(config.dimensions.extraLabels, ["route", "user_id"])
    }

    /// More cache tokens than input under "includes": clamped, and a warning names the key and the rule.
    func testCacheBeyondInputIsAContradictionWarning() throws {
        let list = try rules("    - { match: { system: openai }, includes: true }\n")
        let result = try billable(system: "openai", model: "gpt-4o", input: 100, cacheRead: 300, rules: list)
        XCTAssertEqual(Set(result.hours), [0], "clamped at the input")
        let warnings = result.priced.diagnostics.filter { $0.severity == .warning }
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        let message = try XCTUnwrap(warnings.first?.message)
        for part in ["gw gpt-4o", "24 hour(s)", "input 100, cache 300", "chargeback.yaml:3", "2026-10-01T00:00:00Z"] {
            XCTAssertTrue(message.contains(part), "missing \(part) in \(message)")
        }
        XCTAssertEqual(warnings.first?.location, .file("chargeback.yaml", line: 3, column: 7))
        // The same hours under a rule that excludes: no contradiction, nothing cut.
        let excluding = try billable(system: "anthropic", model: "claude", input: 100, cacheRead: 300)
        XCTAssertEqual(Set(excluding.hours), [100])
        XCTAssertTrue(excluding.priced.diagnostics.isEmpty, "\(excluding.priced.diagnostics)")
    }

    /// Bad rules are input errors (exit 64) that name file, line and column (of the offending value, or key).
    func testBadRulesNameFileLineAndColumn() throws {
        let cases: [(yaml: String, line: Int, column: Int, contains: String)] = [
            ("    - { match: { system: openai }, include: true }\n", 3, 36, "unknown key 'include'"),
            ("    - { match: { system: openai }, includes: maybe }\n", 3, 46, "true or false"),
            ("    - { from: someday, includes: true }\n", 3, 15, "expected a date"),
            ("    - { match: { system: openai } }\n", 3, 7, "missing required key 'includes'"),
            ("    - { match: { \"bad label\": x }, includes: true }\n", 3, 31, "not a label name"),
            ("    { anthropic: sometimes }\n", 3, 18, "true or false"),
        ]
        for item in cases {
            XCTAssertThrowsError(try rules(item.yaml), item.yaml) { error in
                guard let error = error as? InputError else { return XCTFail("\(item.yaml): \(error)") }
                XCTAssertEqual(error.file, "chargeback.yaml")
                XCTAssertEqual(error.line, item.line, error.errorDescription!)
                XCTAssertEqual(error.column, item.column, error.errorDescription!)
                XCTAssertTrue(error.message.contains(item.contains), error.message)
                XCTAssertEqual(error.exitCode, 64)
            }
        }
    }
}
