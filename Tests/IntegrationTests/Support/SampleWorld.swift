import Foundation
import TestSupport
import XCTest

/// The generated sample history, a real Prometheus serving it, and the generator's ground truth.
///
/// Built once per test process: the history and TSDB blocks are cached under the build folder
/// (the generator is deterministic), the server is started on a free port on 127.0.0.1 and
/// stopped by its PID when the process ends.
final class SampleWorld: @unchecked Sendable {
    let url: String
    let pid: Int32
    let historyFolder: URL
    /// The TSDB folder this process's server reads (its blocks can be copied for a server of one's own).
    let dataFolder: URL
    let truth: GroundTruth
    let faults: [String: Any]

    /// The folder holding the test bundle and the package's built executables.
    static let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: Result<SampleWorld, Error>?

    /// The shared world, started on first use. Skips the test with a clear message when the
    /// `prometheus` or `promtool` binary is missing (install the Debian package `prometheus`).
    static func get() throws -> SampleWorld {
        for tool in ["prometheus", "promtool"] where which(tool) == nil {
            throw XCTSkip(
                "\(tool) is not installed: integration tests need Debian's 'prometheus' package "
                    + "(scripts/install-deps.sh installs it)")
        }
        return try lock.withLock {
            if shared == nil {
                shared = Result { try SampleWorld() }
                atexit { SampleWorld.stopShared() }
            }
            return try shared!.get()
        }
    }

    private static func stopShared() {
        if case .success(let world)? = shared { world.stop() }
    }

    private init() throws {
        // The cache is keyed on the generator binary, so a changed generator makes a new history.
        let generator = Self.buildFolder.appendingPathComponent("generate-history").path
        let attributes = try FileManager.default.attributesOfItem(atPath: generator)
        let stamp = "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)-\(attributes[.size] ?? 0)"
        let cache = Self.buildFolder.appendingPathComponent("sample-world")
        historyFolder = cache.appendingPathComponent("history")
        let history = historyFolder.appendingPathComponent("history.om")
        let stampFile = cache.appendingPathComponent("generator.stamp")
        let complete = FileManager.default.fileExists(atPath: historyFolder.appendingPathComponent("faults.json").path)
        if !complete || (try? String(contentsOf: stampFile, encoding: .utf8)) != stamp {
            try? FileManager.default.removeItem(at: cache)
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
            _ = try Self.run(generator, ["--out", historyFolder.path])
            try stamp.write(to: stampFile, atomically: true, encoding: .utf8)
        }
        // Each test process serves its own copy of the data; servers left by killed runs are stopped first.
        let script = PackagePaths.root.appendingPathComponent("scripts/sample-prometheus.sh").path
        for old in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [] where old.hasPrefix("tsdb-")
        {
            let folder = cache.appendingPathComponent(old)
            if let pid = try? String(contentsOf: folder.appendingPathComponent("prometheus.pid"), encoding: .utf8) {
                _ = try? Self.execute(script, ["stop", pid.trimmingCharacters(in: .whitespacesAndNewlines)])
            }
            try? FileManager.default.removeItem(at: folder)
        }
        let data = cache.appendingPathComponent("tsdb-\(getpid())")
        let output = try Self.run(script, ["start", "--history", history.path, "--data", data.path])
        (url, pid) = try StartScript.server(output, prefix: "PROM")
        dataFolder = data
        truth = try GroundTruth(csv: historyFolder.appendingPathComponent("truth.csv"))
        let faultData = try Data(contentsOf: historyFolder.appendingPathComponent("faults.json"))
        faults = try JSONSerialization.jsonObject(with: faultData) as? [String: Any] ?? [:]
    }

    func stop() {
        _ = try? Self.run(
            PackagePaths.root.appendingPathComponent("scripts/sample-prometheus.sh").path, ["stop", String(pid)])
    }

    /// Runs a program, returns its stdout; throws with its stderr when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let result = try execute(program, arguments, environment: environment)
        guard result.status == 0 else {
            throw NSError(
                domain: "SampleWorld", code: Int(result.status),
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "\(program) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
                ])
        }
        return result.stdout
    }

    /// Runs a program to completion and returns its exit status and output.
    static func execute(_ program: String, _ arguments: [String], environment: [String: String]? = nil)
        throws -> (status: Int32, stdout: String, stderr: String)
    {
        let outcome = try ChildProcess.runBlocking(
            program, arguments,
            environment: environment ?? ProcessInfo.processInfo.environment)
        return (outcome.status, outcome.stdout, outcome.stderr)
    }

    static func which(_ tool: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

/// `truth.csv`: exact tokens per UTC hour × gateway × model × token type, from the simulated requests.
struct GroundTruth {
    struct Row {
        let hour: Date
        let gateway: String
        let model: String
        let tokenType: String
        let tokens: Int64
    }

    let rows: [Row]

    init(csv url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [Row] = []
        let formatter = ISO8601DateFormatter()
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 5, let hour = formatter.date(from: cells[0]), let tokens = Int64(cells[4]) else {
                continue
            }
            rows.append(Row(hour: hour, gateway: cells[1], model: cells[2], tokenType: cells[3], tokens: tokens))
        }
        self.rows = rows
    }

    /// Tokens in `[start, end)` summed by `key`.
    func totals(from start: Date, to end: Date, by key: (Row) -> String) -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for row in rows where row.hour >= start && row.hour < end { totals[key(row), default: 0] += row.tokens }
        return totals
    }
}
