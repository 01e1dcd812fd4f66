import ChargebackCore
import ChargebackStores
import Foundation
import TestSupport
import XCTest

/// Which database a store test runs against: the same test body runs on both.
enum StoreBackend: String {
    case sqlite, postgres

    /// A world whose store is an SQLite file in its folder, or a new database on the run's
    /// PostgreSQL server (``PostgresServer``).
    func world(_ prefix: String) throws -> StoreWorld {
        switch self {
        case .sqlite: try StoreWorld(prefix)
        case .postgres:
            try StoreWorld(
                prefix,
                storeURL: try PostgresServer.shared().createDatabase(
                    PostgresServer.databaseName(prefix.replacingOccurrences(of: "-", with: "_"))))
        }
    }
}

/// A sample config of a test's own with a `store:` block (by default an SQLite file in its
/// folder), and the `chargeback` binary to run with it.
struct StoreWorld {
    let folder: TemporaryFolder
    let config: String
    /// The SQLite file, or `nil` for a PostgreSQL store.
    let storePath: String?
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
        storePath = storeURL.hasPrefix("sqlite://") ? folder.file("usage.sqlite").path : nil
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

    /// Whether the store exists yet (a PostgreSQL database always does).
    var storeExists: Bool { storePath.map { FileManager.default.fileExists(atPath: $0) } ?? true }

    /// The counter states stored at the end of each of `hours` .
    func states(atEndOf hours: [Hour]) async throws -> [[SeriesState]] {
        let settings = try XCTUnwrap(try ConfigLoader.load(path: config).store)
        let store = try await StoreOpener.open(settings)
        var states: [[SeriesState]] = []
        for hour in hours { states.append(try await store.states(atEndOf: hour)) }
        await store.close()
        return states
    }

    /// Every stored hour without when it was collected, for comparing two stores.
    func contents() async throws -> [StoredHour] {
        let settings = try XCTUnwrap(try ConfigLoader.load(path: config).store)
        let store = try await StoreOpener.open(settings)
        let hours = try await store.read(Hour(startSeconds: 0)..<Hour(startSeconds: 4_000_000_000))
        await store.close()
        return hours.map { hour in
            var copy = hour
            copy.info = nil
            return copy
        }
    }
}
