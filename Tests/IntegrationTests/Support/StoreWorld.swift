import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// A sample config of a test's own with a `store:` block (an SQLite file in its folder), and the
/// `chargeback` binary to run with it.
struct StoreWorld {
    let folder: TemporaryFolder
    let config: String
    let storePath: String
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path

    /// - Parameter storeURL: the `store:` URL; a relative SQLite path lands in the folder.
    init(_ prefix: String, storeURL: String = "sqlite://usage.sqlite") throws {
        folder = TemporaryFolder(prefix)
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        var text = try String(contentsOf: samples.appendingPathComponent("chargeback.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "pricing: pricing.yaml", with: "pricing: \(samples.path)/pricing.yaml")
            .replacingOccurrences(of: "teams: teams.yaml", with: "teams: \(samples.path)/teams.yaml")
        text += "\nstore:\n  url: \(storeURL)\n"
        config = try folder.write("chargeback.yaml", text)
        storePath = folder.file("usage.sqlite").path
    }

    /// Runs the binary with `arguments` after the command name and `--config`; fails the test
    /// on a non-zero exit.
    @discardableResult
    func run(_ command: [String], _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> ChildProcess.Outcome
    {
        let outcome = try ChildProcess.runBlocking(
            Self.binary, command + ["--config", config] + arguments, environment: [:])
        XCTAssertEqual(outcome.status, 0, "\(command + arguments): \(outcome.stderr)", file: file, line: line)
        return outcome
    }

    /// The usage, chargeback and teams CSVs of a report written into `name` under the folder.
    func reportCSVs(_ name: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> [String: Data]
    {
        let output = folder.file(name)
        try run(
            ["report"], ["--period", "2026-10", "--format", "csv", "--output", output.path, "--quiet"] + arguments,
            file: file, line: line)
        var files: [String: Data] = [:]
        for kind in ["usage", "chargeback", "teams"] {
            files[kind] = FileManager.default.contents(
                atPath: output.appendingPathComponent("chargeback-2026-10-\(kind).csv").path)
        }
        return files
    }

    /// The manifest of the report written into `name`.
    func manifest(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.file(name).appendingPathComponent("manifest.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Every stored hour without when it was collected, for comparing two stores.
    static func contents(_ path: String) throws -> [StoredHour] {
        try SQLiteUsageStore(path: path).read(from: 0, to: 4_000_000_000).map { hour in
            var copy = hour
            copy.info = nil
            return copy
        }
    }
}
