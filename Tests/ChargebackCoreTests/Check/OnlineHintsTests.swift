import TestSupport
import XCTest

@testable import ChargebackCore

/// What `validate --online` says beyond the files' gaps: versions, conventions, label hints.
final class OnlineHintsTests: XCTestCase {
    func sampleConfig() throws -> ChargebackConfig {
        try ConfigLoader.load(path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
    }

    func testBuildsAfterV141AreTheAllProvidersConvention() {
        let table: [(String, Bool?)] = [
            ("v1.4.1", false), ("v1.4.0", false), ("v1.3.2", false), ("1.2", false), ("v1.4.2", true),
            ("v1.5.0-rc.1", true), ("v2.0.0", true), ("v1.10.0", true), ("main", nil), ("", nil),
        ]
        for (tag, after) in table {
            XCTAssertEqual(OnlineHints.isAfterWireFormatRule(tag), after, tag)
        }
    }

    func testANewerBuildUnderTheDefaultsIsWarnedOnlyWithoutConfiguredRules() throws {
        var config = try sampleConfig()
        var result = OnlineCheckResult(series: 1, unpricedModels: [], unmappedUsage: [])
        result.versions = ["v1.4.1": ["a"], "v1.5.0": ["b"]]
        XCTAssertTrue(result.newerVersionWarnings(config: config).isEmpty, "the sample config writes its rules")
        config.metrics.inputIncludesCache = CacheRules()
        let warnings = result.newerVersionWarnings(config: config)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(
            warnings[0].message.contains("agentgateway v1.5.0 counts cache tokens inside input"), warnings[0].message)
        result.versions = ["v1.4.1": ["a"]]
        XCTAssertTrue(result.newerVersionWarnings(config: config).isEmpty)
    }

    func testConventionsNameTheRuleThatDecidesPerProvider() throws {
        var config = try sampleConfig()
        config.metrics.inputIncludesCache = CacheRules()
        let series: [[String: String]] = [
            ["gen_ai_system": "aws.bedrock", "gen_ai_request_model": "anthropic.claude-3-5-sonnet", "gateway": "ns/a"],
            ["gen_ai_system": "openai", "gen_ai_request_model": "gpt-4o", "gateway": "ns/a"],
            ["gen_ai_system": "gcp.vertex_ai", "gen_ai_request_model": "claude-sonnet-4-5", "gateway": "ns/a"],
        ]
        XCTAssertEqual(
            OnlineHints.conventions(config: config, labelSets: series, now: Date()),
            [
                "aws.bedrock: input excludes cache tokens (agentgateway v1.4.x default)",
                "gcp.vertex_ai: input excludes cache tokens (agentgateway v1.4.x default)",
                "openai: input includes cache tokens (agentgateway v1.4.x default)",
            ])
    }

    func testLabelsNoSeriesCarriesGetWhatTheyCarryInstead() throws {
        var config = try sampleConfig()
        config.metrics.labels.gateway = "gateway_instance"
        let series: [[String: String]] = [
            [
                "gateway": "agentgateway-system/agentgateway", "gen_ai_request_model": "m",
                "gen_ai_token_type": "input",
                "gen_ai_system": "openai",
            ]
        ]
        let hints = OnlineHints.labelSuggestions(config: config, labelSets: series)
        XCTAssertEqual(hints.count, 1)
        XCTAssertTrue(hints[0].contains("'gateway_instance' is on none of the series"), hints[0])
        XCTAssertTrue(hints[0].contains("try gateway: gateway"), hints[0])
        XCTAssertTrue(hints[0].contains("agentgateway-system/agentgateway"), hints[0])
        config.metrics.labels.gateway = "gateway"
        XCTAssertEqual(OnlineHints.labelSuggestions(config: config, labelSets: series), [])
    }

    func testPrintableReplacesControlCharacters() {
        XCTAssertEqual(OnlineHints.printable("v1.4.1\u{1b}[31m\n"), "v1.4.1?[31m?")
    }
}
