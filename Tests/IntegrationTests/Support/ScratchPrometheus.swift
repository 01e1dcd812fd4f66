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

    /// - Parameter flags: extra server flags (`--web.enable-admin-api` for ``deleteSamples(before:)``).
    init(copying world: SampleWorld, flags: String = "") throws {
        folder = TemporaryFolder("cb-scratch-prom").url
        // Only the finished blocks (ULID folders with meta.json): no WAL, no lock, no pid file.
        for name in try FileManager.default.contentsOfDirectory(atPath: world.dataFolder.path)
        where FileManager.default.fileExists(atPath: world.dataFolder.appendingPathComponent("\(name)/meta.json").path)
        {
            try FileManager.default.copyItem(
                at: world.dataFolder.appendingPathComponent(name),
                to: folder.appendingPathComponent(name))
        }
        let output = try SampleWorld.run(
            Self.script,
            [
                "start", "--history",
                world.historyFolder.appendingPathComponent("history.om").path,
                "--data", folder.path,
            ],
            environment: ProcessInfo.processInfo.environment.merging(["PROMETHEUS_FLAGS": flags]) { $1 })
        (url, pid) = try StartScript.server(output, prefix: "PROM")
    }

    /// Deletes every sample before `time` through the admin API, as retention would have: the
    /// oldest remaining samples of running series then carry their counters' whole past.
    func deleteSamples(before time: Date) async throws {
        let end = String(format: "%.3f", time.timeIntervalSince1970)
        var request = HTTPClientRequest(url: url + "/api/v1/admin/tsdb/delete_series")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "match%5B%5D=%7B__name__%3D~%22.%2B%22%7D&end=\(end)"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        guard response.status == .noContent else {
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            throw NSError(
                domain: "ScratchPrometheus", code: Int(response.status.code),
                userInfo: [NSLocalizedDescriptionKey: "delete_series answered \(response.status): \(body)"])
        }
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
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(5))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 24))
        return text.split(separator: "\n")
            .filter { $0.hasPrefix("prometheus_http_requests_total{") && $0.contains(#"handler="/api/v1/query"#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }
}
