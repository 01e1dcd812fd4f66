import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport

/// A Prometheus of a test's own, serving a copy of the shared world's TSDB blocks, for tests
/// that kill it (the shared server stays up for everyone else).
///
/// Started with `scripts/sample-prometheus.sh` on a free port; ``kill()`` sends SIGKILL to its PID,
/// ``stop()`` stops it if still running and removes the copy.
final class ScratchPrometheus: @unchecked Sendable {
    let url: String
    let pid: Int32
    let folder: URL

    private static let script = PackagePaths.root.appendingPathComponent("scripts/sample-prometheus.sh").path

    init(copying world: SampleWorld) throws {
        folder = TemporaryFolder("cb-scratch-prom").url
        // Only the finished blocks (ULID folders with meta.json): no WAL, no lock, no pid file.
        for name in try FileManager.default.contentsOfDirectory(atPath: world.dataFolder.path)
        where FileManager.default.fileExists(atPath: world.dataFolder.appendingPathComponent("\(name)/meta.json").path) {
            try FileManager.default.copyItem(at: world.dataFolder.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        let output = try SampleWorld.run(Self.script, ["start", "--history",
                                                       world.historyFolder.appendingPathComponent("history.om").path,
                                                       "--data", folder.path])
        (url, pid) = try StartScript.server(output, prefix: "PROM")
    }

    /// SIGKILL: no shutdown, open connections drop.
    func kill() {
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// Stops the server if it still runs and removes its data.
    func stop() {
        _ = try? SampleWorld.execute(Self.script, ["stop", String(pid)])
        try? FileManager.default.removeItem(at: folder)
    }

    /// How many query API calls (`/api/v1/query*`) it has answered, from its own `/metrics`.
    func answeredQueries() async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 24))
        return text.split(separator: "\n")
            .filter { $0.hasPrefix("prometheus_http_requests_total{") && $0.contains(#"handler="/api/v1/query"#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }
}
