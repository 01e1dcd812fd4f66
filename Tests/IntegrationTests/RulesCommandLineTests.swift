import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// `chargeback rules` and `chargeback dashboard` as built, run as a user would.
final class RulesCommandLineTests: XCTestCase {
    let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    let config = PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path
    let samples = PackagePaths.root.appendingPathComponent("Samples/kubernetes")

    func chargeback(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try SampleWorld.execute(binary, arguments, environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
    }

    func testTheCommandsPrintTheCommittedSamples() throws {
        for (arguments, file) in [
            (["rules"], "prometheusrule.yaml"), (["rules", "--plain"], "prometheus/agentgateway-cost.rules.yaml"),
            (["dashboard"], "grafana-dashboard.json"),
        ] {
            // The prices in force on a fixed day (those the samples were generated with), not today's.
            let run = try chargeback(
                arguments + ["--config", config] + (arguments[0] == "rules" ? ["--at", "2026-11-01"] : []))
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stderr, "", "nothing on stderr for \(arguments)")
            XCTAssertEqual(
                run.stdout, try String(contentsOf: samples.appendingPathComponent(file), encoding: .utf8), file)
        }
    }

    func testOlderPricesAndBadInputs() throws {
        let early = try chargeback(["rules", "--config", config, "--plain", "--at", "2025-01-01"])
        XCTAssertEqual(early.status, 0, early.stderr)
        XCTAssertTrue(early.stderr.contains("'claude-sonnet-4-5*' has no price in force"), early.stderr)
        XCTAssertFalse(early.stdout.contains("claude-sonnet-4-5.*"), "no cost term before its first price")

        let badDate = try chargeback(["rules", "--config", config, "--at", "soon"])
        XCTAssertEqual(badDate.status, 64)
        XCTAssertTrue(badDate.stderr.contains("--at 'soon' is not a date"), badDate.stderr)
        XCTAssertEqual(badDate.stdout, "")
        let missing = try chargeback(["dashboard", "--config", "/nonexistent/chargeback.yaml"])
        XCTAssertEqual(missing.status, 64, missing.stderr)
        XCTAssertEqual(missing.stdout, "")
        let usage = try chargeback(["rules", "--plain", "--namespace", "x"])
        XCTAssertEqual(usage.status, 64, usage.stderr)
    }
}
