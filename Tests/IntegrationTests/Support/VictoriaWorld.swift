import Foundation
import TestSupport
import XCTest

/// A real VictoriaMetrics (single node) serving the same generated history as ``SampleWorld``.
///
/// Started once per test process on a free port on 127.0.0.1 by `scripts/sample-victoriametrics.sh`,
/// which imports the history through `/api/v1/import/prometheus`; stopped by its PID when the
/// process ends.
final class VictoriaWorld: @unchecked Sendable {
    let url: String
    let pid: Int32

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: Result<VictoriaWorld, Error>?
    private static let script = PackagePaths.root.appendingPathComponent("scripts/sample-victoriametrics.sh").path

    /// The shared server, started on first use. Skips the test with a clear message when the
    /// `victoria-metrics` binary is missing (install the Debian package `victoria-metrics`).
    static func get() throws -> VictoriaWorld {
        guard SampleWorld.which("victoria-metrics") != nil else {
            throw XCTSkip(
                "victoria-metrics is not installed: these tests need Debian's 'victoria-metrics' package "
                    + "(scripts/install-deps.sh installs it)")
        }
        let history = try SampleWorld.get().historyFolder
        return try lock.withLock {
            if shared == nil {
                shared = Result { try VictoriaWorld(history: history) }
                atexit { VictoriaWorld.stopShared() }
            }
            return try shared!.get()
        }
    }

    private static func stopShared() {
        if case .success(let world)? = shared { world.stop() }
    }

    private init(history: URL) throws {
        let cache = SampleWorld.buildFolder.appendingPathComponent("sample-world")
        // Each test process imports into its own folder; servers left by killed runs are stopped first.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [] where old.hasPrefix("vm-") {
            let folder = cache.appendingPathComponent(old)
            if let pid = try? String(contentsOf: folder.appendingPathComponent("victoria-metrics.pid"), encoding: .utf8)
            {
                _ = try? SampleWorld.execute(
                    Self.script, ["stop", pid.trimmingCharacters(in: .whitespacesAndNewlines)])
            }
            try? FileManager.default.removeItem(at: folder)
        }
        let data = cache.appendingPathComponent("vm-\(getpid())")
        let output = try SampleWorld.run(
            Self.script,
            [
                "start", "--history", history.appendingPathComponent("history.om").path,
                "--data", data.path,
            ])
        (url, pid) = try StartScript.server(output, prefix: "VM")
    }

    func stop() {
        _ = try? SampleWorld.run(Self.script, ["stop", String(pid)])
    }
}
