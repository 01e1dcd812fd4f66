import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

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
            XCTAssertEqual(BuildConvention.isAfterWireFormatRule(tag), after, tag)
        }
    }

    /// Token series of three pods: anthropic on a v1.4.1 pod and on a v1.5.0 pod, openai on a pod
    /// that reports no build, Bedrock and Claude on Vertex on the v1.4.1 pod.
    let series: [[String: String]] = [
        ["gen_ai_system": "anthropic", "gen_ai_request_model": "claude-sonnet-4-5", "gateway": "ns/a", "pod": "a"],
        ["gen_ai_system": "anthropic", "gen_ai_request_model": "claude-sonnet-4-5", "gateway": "ns/a", "pod": "b"],
        ["gen_ai_system": "openai", "gen_ai_request_model": "gpt-4o", "gateway": "ns/a", "pod": "c"],
        [
            "gen_ai_system": "aws.bedrock", "gen_ai_request_model": "anthropic.claude-3-5", "gateway": "ns/a",
            "pod": "a",
        ],
        ["gen_ai_system": "gcp.vertex_ai", "gen_ai_request_model": "claude-sonnet-4-5", "gateway": "ns/a", "pod": "a"],
    ]
    let versions = ["v1.4.1": ["a"], "v1.5.0": ["b"]]

    func testAutoNamesTheConventionPerProviderAndBuild() throws {
        let config = try sampleConfig()
        XCTAssertEqual(config.metrics.inputIncludesCache, CacheRules(), "the starter file says auto")
        let found = OnlineHints.conventions(
            config: config, labelSets: series, versions: versions, now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        XCTAssertEqual(
            found.lines,
            [
                "anthropic: input excludes cache tokens (agentgateway v1.4.x default) on v1.4.1",
                "anthropic: input includes cache tokens (agentgateway after v1.4.1, by agentgateway_build_info) on v1.5.0",
                "aws.bedrock: input excludes cache tokens (agentgateway v1.4.x default) on v1.4.1",
                "gcp.vertex_ai: input excludes cache tokens (agentgateway v1.4.x default) on v1.4.1",
                "openai: input includes cache tokens (agentgateway v1.4.x default)",
            ])
        XCTAssertEqual(found.warnings, [], "auto follows each build: nothing to warn about")
    }

    func testAConfiguredExcludingRuleOnANewerBuildIsWarned() throws {
        var config = try sampleConfig()
        config.metrics.inputIncludesCache = CacheRules([
            CacheRule(match: ["system": Glob("anthropic")], includes: false, origin: "chargeback.yaml:40")
        ])
        var result = OnlineCheckResult(series: series.count, unpricedModels: [], unmappedUsage: [])
        result.versions = versions
        let found = OnlineHints.conventions(
            config: config, labelSets: series, versions: versions, now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        XCTAssertTrue(
            found.lines.contains("anthropic: input excludes cache tokens (chargeback.yaml:40) on v1.4.1, v1.5.0"),
            "\(found.lines)")
        result.conventionWarnings = found.warnings
        let warnings = result.newerVersionWarnings(config: config)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(
            warnings.first?.message.hasPrefix("agentgateway v1.5.0 counts cache tokens inside input") == true,
            "\(warnings)")
        XCTAssertTrue(warnings.first?.message.contains("chargeback.yaml:40") == true, "\(warnings)")
        // Without the newer pod's series there is nothing to warn about.
        let older = OnlineHints.conventions(
            config: config, labelSets: series.filter { $0["pod"] != "b" }, versions: versions,
            now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        XCTAssertEqual(older.warnings, [])
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
