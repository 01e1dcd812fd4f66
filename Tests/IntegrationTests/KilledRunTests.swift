import ChargebackCore
import Crypto
import Foundation
import TestSupport
import XCTest

/// SIGKILL at any moment of a run leaves the previous reports as they were: never a mix of old
/// and new files, never a half-written one (docs/output-files.md, atomic writes).
final class KilledRunTests: XCTestCase {
    let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    let config = PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path

    /// The visible files of a folder (recursively) and their bytes; the lock and staging folders are hidden.
    func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for name in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[name] = FileManager.default.contents(atPath: url.path)
            }
        }
        return files
    }

    /// The manifest must describe exactly the files beside it (same names, same SHA-256).
    func assertManifestMatches(_ files: [String: Data], _ message: String) throws {
        let manifest = try XCTUnwrap(files["manifest.json"], message)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: manifest) as? [String: Any], message)
        let outputs = try XCTUnwrap(object["outputs"] as? [[String: Any]], message)
        XCTAssertEqual(
            Set(outputs.compactMap { $0["file"] as? String }), Set(files.keys).subtracting(["manifest.json"]),
            message)
        for output in outputs {
            let name = try XCTUnwrap(output["file"] as? String)
            let digest = SHA256.hash(data: files[name] ?? Data()).map { String(format: "%02x", $0) }.joined()
            XCTAssertEqual(output["sha256"] as? String, digest, "\(message): \(name) is from another run")
        }
    }

    func testAKilledRunNeverLeavesHalfOrMixedReports() throws {
        let world = try SampleWorld.get()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cb-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        func arguments(_ zone: String) -> [String] {
            [
                "report", "--config", config, "--period", "2026-10", "--timezone", zone, "--prometheus-url", world.url,
                "--output", output.path, "--quiet",
            ]
        }
        // The previous reports: October in UTC. The interrupted runs write October in Berlin: same
        // file names, different bytes, so a mix would show.
        let started = Date()
        let first = try ChildProcess.runBlocking(binary, arguments("UTC"), environment: [:])
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(first.status, 0, first.stderr)
        var current = snapshot(output)
        XCTAssertEqual(current.count, 8, "markdown, five CSV files (with the changes), the workbook and the manifest")
        var killed = 0
        // Kills spread over a run's length: fetching, rendering, committing.
        for delay in [0.05, 0.2, 0.35, 0.5, 0.65, 0.8].map({ $0 * duration }) {
            let run = try ChildProcess.start(binary, arguments("Europe/Berlin"), environment: [:])
            Thread.sleep(forTimeInterval: delay)
            run.kill(SIGKILL)
            let outcome = run.wait()
            let after = snapshot(output)
            if outcome.status == 0 {
                XCTAssertEqual(Set(after.keys), Set(current.keys), "a finished run writes the same set of files")
                current = after
            } else {
                killed += 1
                XCTAssertEqual(outcome.status, 128 + SIGKILL)
                if after != current {
                    // Killed after the commit, while shutting down: the new reports are all in place
                    // (the manifest check below shows they are one run's files, not a mix).
                    XCTAssertEqual(Set(after.keys), Set(current.keys), "killed after \(delay) s: all files or none")
                    current = after
                }
            }
            try assertManifestMatches(after, "after \(delay) s")
        }
        XCTAssertGreaterThan(killed, 2, "most runs were really interrupted")
        // The next run clears what killed runs left in hidden staging folders.
        let last = try ChildProcess.runBlocking(binary, arguments("UTC"), environment: [:])
        XCTAssertEqual(last.status, 0, last.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).filter {
            $0.hasPrefix(".chargeback-staging")
        }
        XCTAssertEqual(leftovers, [])
    }
}
