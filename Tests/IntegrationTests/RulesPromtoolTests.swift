import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The generated rules through Prometheus's own checker and rule unit tests (`promtool`).
final class RulesPromtoolTests: XCTestCase {
    let samples = PackagePaths.root.appendingPathComponent("Samples/kubernetes")

    func promtool() throws -> String {
        guard let path = SampleWorld.which("promtool") else {
            throw XCTSkip("promtool is not installed: install Debian's 'prometheus' package (scripts/install-deps.sh)")
        }
        return path
    }

    func testPromtoolAcceptsThePlainRules() throws {
        let promtool = try promtool()
        let committed = samples.appendingPathComponent("prometheus/agentgateway-cost.rules.yaml").path
        let run = try SampleWorld.execute(promtool, ["check", "rules", committed])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("SUCCESS: 39 rules found"), run.stdout)
    }

    /// Unusual but valid settings: other label names, a selector without braces, quotes and regex
    /// characters in globs and provider names, overlapping globs, a model fallback, no cache default.
    func testPromtoolAcceptsRulesFromUnusualSettings() throws {
        let promtool = try promtool()
        let folder = TemporaryFolder("cb-promtool").url
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"""
        prometheus: { url: http://127.0.0.1:9090 }
        metrics:
          tokens: llm_tokens_total
          selector: 'env="prod", cluster=~"eu-.*|us-\"x\""'
          labels: { gateway: gateway_instance, model: gen_ai_response_model, model_fallback: gen_ai_request_model, token_type: kind, system: provider }
          input_includes_cache: { "open.ai": true, "we\"ird|x": true, default: false }
        pricing: pricing.yaml
        teams: teams.yaml
        thresholds: { daily_usd: 12.5, monthly_usd: 1000 }
        """#.write(to: folder.appendingPathComponent("chargeback.yaml"), atomically: true, encoding: .utf8)
        try #"""
        models:
          - { match: "claude-opus-4*", prices: [{ from: 2025-01-01, input: 15, output: 75, cache_read: 1.5 }] }
          - { match: "claude-*", prices: [{ from: 2025-01-01, input: 0.000001, output: 0.1 }] }
          - { match: "mo\"d[!a-c]el.(v1)+?|$*", prices: [{ from: 2025-01-01, input: 1, output: 2, cache_write: 1.25 }] }
          - { match: "future-*", prices: [{ from: 2099-01-01, input: 1 }] }
        """#.write(to: folder.appendingPathComponent("pricing.yaml"), atomically: true, encoding: .utf8)
        try "teams: [{ name: A }]\nrules: [{ match: { gateway: \"*\" }, team: A }]\n"
            .write(to: folder.appendingPathComponent("teams.yaml"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: folder.appendingPathComponent("chargeback.yaml").path)
        let rules = try RuleGenerator.generate(config: config, at: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        XCTAssertEqual(rules.diagnostics.count, 1, "future-* has no price yet")
        let file = folder.appendingPathComponent("rules.yaml")
        try RuleFileRenderer.render(rules, plain: true).write(to: file, atomically: true, encoding: .utf8)
        let run = try SampleWorld.execute(promtool, ["check", "rules", file.path])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("SUCCESS"), run.stdout)
    }

    /// `Samples/kubernetes/tests/*.yaml`: each alert fires over its threshold and stays silent under
    /// it, and the cost rules price every model and token type once.
    func testPromtoolUnitTestsOfTheSamplesPass() throws {
        let promtool = try promtool()
        let tests = samples.appendingPathComponent("tests")
        let files = try FileManager.default.contentsOfDirectory(atPath: tests.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        XCTAssertEqual(files, ["daily-and-hourly.yaml", "pricing.yaml", "weekly-and-monthly.yaml"])
        let run = try SampleWorld.execute(
            promtool, ["test", "rules"] + files.map { tests.appendingPathComponent($0).path })
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertEqual(run.stdout.components(separatedBy: "SUCCESS").count - 1, files.count, run.stdout)
    }
}
