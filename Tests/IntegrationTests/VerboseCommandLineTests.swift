import Foundation
import TestSupport
import XCTest

/// `--verbose` through the built binary against both real backends: what was fetched is printed.
final class VerboseCommandLineTests: XCTestCase {
    func testVerboseReportsQueriesSeriesPointsAndBytesOnBothBackends() throws {
        let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
        let config = PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path
        for (name, url) in [
            ("Prometheus", try SampleWorld.get().url), ("VictoriaMetrics", try VictoriaWorld.get().url),
        ] {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent(
                "cb-verbose-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: output) }
            let run = try SampleWorld.execute(
                binary,
                [
                    "report", "--config", config, "--period", "2026-10-07",
                    "--prometheus-url", url, "--output", output.path, "--verbose",
                    "--as-of", "2026-10-20T00:00:00Z", "--no-compare",
                ],
                environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n").map(String.init)
            let perQuery = lines.filter { $0.hasPrefix("debug: fetched ") }
            // One period measured (--no-compare: no previous day). For tokens and cost: the far-edge
            // probe (each way one count_over_time and the index beyond the read range; the index from
            // the period start to now only for the token counter, one of whose counters listed before
            // the lookback has no sample in it; the index up to the period end for neither, as every
            // counter listed after the read range is either in the lookahead or listed before; no
            // series is silent through the lookback or lookahead, so no window search)
            // and one query_range per summary function (4: the day and 26 h on each side fit one;
            // on VictoriaMetrics one aggr_over_time of all four, after a label value lookup that
            // finds no series with the `rollup` label that query adds);
            // plus the dashboard figure and the index of agentgateway_build_info (the starter
            // file's `auto` cache convention). No hour of that day needs raw samples.
            // VictoriaMetrics answers an index lookup over more than 40 days from its global index
            // (every series it ever held), so the lookup back to the oldest data goes 40 days at a
            // time: the window before the read range holds the history's start, the next is empty.
            // Then the index of agentgateway's catalog lookups, of the request counter's `input`
            // series and, on Prometheus (VictoriaMetrics stores no native histograms), of the token
            // histogram's and the request counter's native series: none is there. Last, one
            // count_over_time looks after the period for gateways it never saw (issue 29).
            let victoria = name == "VictoriaMetrics" ? 2 : 0
            let lookups = name == "VictoriaMetrics" ? 2 : 4
            let summaries = name == "VictoriaMetrics" ? 1 + 1 : 4
            let expected = 2 * (6 + summaries) - 3 + 2 + victoria + lookups + 1
            XCTAssertEqual(perQuery.count, expected, "\(name): one line per query")
            XCTAssertEqual(
                perQuery.filter { $0.contains("endpoint=/api/v1/query_range") }.count,
                name == "VictoriaMetrics" ? 2 : 8, name)
            XCTAssertEqual(
                perQuery.filter { $0.contains("endpoint=/api/v1/label/rollup/values") }.count,
                name == "VictoriaMetrics" ? 2 : 0, name)
            XCTAssertEqual(
                perQuery.filter { $0.contains("endpoint=/api/v1/series") }.count, 6 + victoria + lookups, name)
            let summary = try XCTUnwrap(lines.first { $0.hasPrefix("info: fetched ") }, "\(name): \(run.stderr)")
            var figures: [String: Int] = [:]
            for pair in summary.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let value = Int(parts[1]) { figures[String(parts[0])] = value }
            }
            XCTAssertEqual(figures["queries"], perQuery.count, "\(name): \(summary)")
            XCTAssertGreaterThanOrEqual(figures["requests"] ?? 0, perQuery.count, "\(name): \(summary)")
            // 22 token and 2 cost series, 24 hours each, all settled by the summaries.
            XCTAssertEqual(figures["summarised_series_hours"], 24 * 24, "\(name): \(summary)")
            XCTAssertEqual(figures["raw_series_hours"], 0, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["series"] ?? 0, 10, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["points"] ?? 0, 1000, "\(name): \(summary)")
            XCTAssertGreaterThan(figures["bytes"] ?? 0, figures["points"] ?? 0, "\(name): \(summary)")
            print("\(name): \(summary)")
        }
    }
}
