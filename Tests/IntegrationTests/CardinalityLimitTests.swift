import Foundation
import TestSupport
import XCTest

/// A per-user world (`generate-history --users`) above VictoriaMetrics' limit on matching series:
/// the report splits its index lookups by label and is exact per user (issue 31, item 3).
final class CardinalityLimitTests: XCTestCase {
    /// 40 users: about 620 series over the three days, above `-search.maxSeries=200` (so are the
    /// lookups of the day's read range, about 300 request counters among them). The day's report
    /// with `--group-by user_id` exits 0 and each user's tokens are the generator's truth; without
    /// the split the series lookup is refused (`exceeds 200`).
    func testASeriesLookupAboveVictoriaMetricsLimitIsSplitByLabelAndExactPerUser() throws {
        guard SampleWorld.which("victoria-metrics") != nil else {
            throw XCTSkip("victoria-metrics is not installed (Debian's 'victoria-metrics' package)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-users-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = folder.appendingPathComponent("history")
        let generator = SampleWorld.buildFolder.appendingPathComponent("generate-history").path
        let generated = try SampleWorld.execute(
            generator,
            [
                "--out", history.path, "--users", "40", "--start", "2026-10-01T00:00:00Z", "--days", "3",
                "--scrape-interval", "300", "--seed", "31",
            ])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        // `…, 620 series, 421224 samples, …`: every sample of the history, all inside the read range.
        let historySamples = try XCTUnwrap(
            generated.stderr.split(separator: ",").first { $0.hasSuffix(" samples") }
                .flatMap { Int($0.split(separator: " ").first ?? "") })
        let script = PackagePaths.root.appendingPathComponent("scripts/sample-victoriametrics.sh").path
        let started = try SampleWorld.run(
            script,
            [
                "start", "--history", history.appendingPathComponent("history.om").path,
                "--data", folder.appendingPathComponent("vm").path,
            ],
            environment: ProcessInfo.processInfo.environment.merging(["VM_FLAGS": "-search.maxSeries=200"]) { $1 })
        let (url, pid) = try StartScript.server(started, prefix: "VM")
        defer { _ = try? SampleWorld.run(script, ["stop", String(pid)]) }

        // The backend refuses the whole lookup.
        let refused = try SampleWorld.execute(
            "/usr/bin/curl",
            [
                "-sS", "\(url)/api/v1/series", "--data-urlencode",
                "match[]=agentgateway_gen_ai_client_token_usage_sum", "-d", "start=1790812800", "-d", "end=1791072000",
            ])
        XCTAssertTrue(refused.stdout.contains("matching timeseries exceeds 200"), refused.stdout)

        let output = folder.appendingPathComponent("out")
        let run = try SampleWorld.execute(
            SampleWorld.buildFolder.appendingPathComponent("chargeback").path,
            [
                "report", "--config", PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path,
                "--period", "2026-10-02", "--prometheus-url", url, "--output", output.path, "--format", "csv",
                "--group-by", "user_id", "--no-compare", "--as-of", "2026-10-04T00:00:00Z", "--verbose",
            ],
            environment: ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stderr.split(separator: "\n")
        let split = lines.filter {
            $0.hasPrefix("debug: fetched ") && $0.contains("endpoint=/api/v1/series") && $0.contains("user_id=~")
        }
        XCTAssertGreaterThan(split.count, 0, "the lookups were split by user_id")
        let summary = lines.first { $0.hasPrefix("info: fetched ") }.map(String.init) ?? ""
        // Item 1: the raw reads of series being born ask for those users' series, not the whole
        // pod, so the plan reads fewer points than the history holds (448,658 of 421,224 before).
        let points = summary.split(separator: " ").first { $0.hasPrefix("points=") }.flatMap { Int($0.dropFirst(7)) }
        XCTAssertLessThan(try XCTUnwrap(points, summary), historySamples / 2, summary)
        print("split lookups: \(split.count); history samples \(historySamples); \(summary)")

        // Each user's tokens that day against the generator's truth.
        var truth: [String: Int64] = [:]
        let truthText = try String(contentsOf: history.appendingPathComponent("truth-users.csv"), encoding: .utf8)
        for row in truthText.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: ",")
            guard fields.count == 6, fields[0] == "2026-10-02" else { continue }
            truth[String(fields[4]), default: 0] += Int64(fields[5])!
        }
        let name = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: output.path).first { $0.hasSuffix("-by-user_id.csv") })
        let table = try CSVParser.rows(String(contentsOf: output.appendingPathComponent(name), encoding: .utf8))
        let header = try XCTUnwrap(table.first)
        let value = try XCTUnwrap(header.firstIndex(of: "value"))
        let tokens = try XCTUnwrap(header.firstIndex(of: "tokens"))
        var measured: [String: Int64] = [:]
        for row in table.dropFirst() where row.count == header.count && row[value].hasPrefix("user-") {
            measured[row[value], default: 0] += Int64(row[tokens]) ?? -1
        }
        XCTAssertGreaterThan(truth.count, 20)
        XCTAssertEqual(measured, truth)
    }
}
