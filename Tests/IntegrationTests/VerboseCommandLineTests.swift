import Foundation
import XCTest

/// `--verbose` through the built binary against both real backends: what was fetched is printed.
final class VerboseCommandLineTests: XCTestCase {
    func testVerboseReportsQueriesSeriesPointsAndBytesOnBothBackends() throws {
        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let config = SampleWorld.packageRoot.appendingPathComponent("Samples/chargeback.yaml").path
        for (name, url) in [("Prometheus", try SampleWorld.get().url), ("VictoriaMetrics", try VictoriaWorld.get().url)] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("cb-verbose-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            let run = try SampleWorld.execute(binary, ["report", "--config", config, "--period", "2026-10-07",
                                                       "--prometheus-url", url, "--output", output.path, "--verbose"],
                                              environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            let perQuery = lines.filter { $0.hasPrefix("debug: fetched ") }
            // The day in 6 h chunks and 26 h on each side (5 chunks), for tokens and cost, plus the dashboard figure.
            XCTAssertEqual(perQuery.count, 2 * (5 + 4 + 5) + 1, "\(name): one line per query")
            let summary = try XCTUnwrap(lines.first { $0.hasPrefix("info: fetched ") }, "\(name): \(run.stderr)")
            var figures: [String: Int] = [:]
            for pair in summary.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let value = Int(parts[1]) { figures[String(parts[0])] = value }
            }
            XCTAssertEqual(figures["queries"], 29, "\(name): \(summary)")
            XCTAssertGreaterThanOrEqual(figures["requests"] ?? 0, 29, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["series"] ?? 0, 10, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["points"] ?? 0, 1000, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["bytes"] ?? 0, figures["points"] ?? 0, "\(name): \(summary)")
            print("\(name): \(summary)")
        }
    }
}
