import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Issue 28, item 3: two runs of the same report on the same data, each against its own Prometheus
/// on its own port (the shared sample server and a second one serving a copy of its blocks), write
/// byte-identical Markdown, CSV, XLSX and FOCUS files and team packs; only manifest.json, the record
/// of the run, names each run's server.
final class ReproducibleRunTests: XCTestCase {
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path

    func testTwoServersOnDifferentPortsGiveByteIdenticalReports() async throws {
        let world = try SampleWorld.get()
        let copy = try ScratchPrometheus(copying: world)
        defer { copy.stop() }
        let urls = [world.url, copy.url]
        XCTAssertNotEqual(URL(string: urls[0])?.port, URL(string: urls[1])?.port, "two servers, two ports")
        let folder = TemporaryFolder("cb-reproduce").url
        defer { try? FileManager.default.removeItem(at: folder) }
        // One config for both runs, naming neither server: each run gives its own --prometheus-url.
        let config = try FaultInjectionTests.writeConfig(url: "http://prometheus.example:9090", into: folder)
        var outputs: [URL] = []
        for url in urls {
            let output = folder.appendingPathComponent("reports-\(outputs.count)")
            let run = try await ChildProcess.run(
                Self.binary,
                [
                    "report", "--config", config, "--period", "yesterday", "--as-of", "2026-10-16",
                    "--format", "markdown,csv,xlsx,focus", "--split-by", "team", "--prometheus-url", url,
                    "--output", output.path, "--quiet",
                ], environment: [:])
            XCTAssertEqual(run.status, 0, run.stderr)
            outputs.append(output)
        }
        let first = FolderState(outputs[0]).entries
        let second = FolderState(outputs[1]).entries
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for suffix in ["2026-10-15.md", "-chargeback.csv", "-focus.csv", "2026-10-15.xlsx", "-Search.md", ".eml"] {
            XCTAssertTrue(first.keys.contains { $0.hasSuffix(suffix) }, "a file ending in \(suffix): \(first.keys)")
        }
        for name in first.keys.sorted() where name != "manifest.json" {
            XCTAssertEqual(first[name], second[name], "\(name) is the same in both runs")
        }
        // The manifests record each run's own server; the Markdown the day and the config's server.
        for (output, url) in zip(outputs, urls) {
            let data = try Data(contentsOf: output.appendingPathComponent("manifest.json"))
            let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual((manifest["backend"] as? [String: Any])?["url"] as? String, url)
        }
        let markdown = try String(
            contentsOf: outputs[0].appendingPathComponent("chargeback-2026-10-15.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("To reproduce: `chargeback report --config \(config) --period 2026-10-15 "))
        XCTAssertFalse(markdown.contains("--period yesterday"))
        for url in urls { XCTAssertFalse(markdown.contains(url), "\(url) in the Markdown") }
        XCTAssertTrue(markdown.contains("not the config's http://prometheus.example:9090"))
    }
}
