import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// A Prometheus (backfilled with promtool) and a VictoriaMetrics (imported) serving one
/// ``EdgeHistory``, for one test class: started by ``start(name:cases:)`` on free ports on 127.0.0.1,
/// stopped by their PIDs with ``stop()``.
final class EdgeBackends: @unchecked Sendable {
    let backends: [(name: String, url: String)]
    private let pids: [(script: String, pid: Int32)]
    private let folder: URL

    private static let prometheusScript = PackagePaths.root.appendingPathComponent("scripts/sample-prometheus.sh").path
    private static let victoriaScript = PackagePaths.root.appendingPathComponent("scripts/sample-victoriametrics.sh")
        .path

    /// Writes the history of `cases` and starts both servers on it. Skips when a server binary is missing.
    static func start(name: String, cases: [EdgeHistory.Case]) throws -> EdgeBackends {
        for tool in ["prometheus", "promtool", "victoria-metrics"] where SampleWorld.which(tool) == nil {
            throw XCTSkip(
                "\(tool) is not installed: these tests need Debian's 'prometheus' and 'victoria-metrics' "
                    + "packages (scripts/install-deps.sh installs them)")
        }
        let cache = SampleWorld.buildFolder.appendingPathComponent("edge-worlds")
        // Servers a killed run of this class left behind are stopped first.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
        where old.hasPrefix(name + "-") {
            let stale = cache.appendingPathComponent(old)
            for (file, script) in [
                ("prometheus/prometheus.pid", prometheusScript), ("vm/victoria-metrics.pid", victoriaScript),
            ] {
                if let pid = try? String(contentsOf: stale.appendingPathComponent(file), encoding: .utf8) {
                    _ = try? SampleWorld.execute(script, ["stop", pid.trimmingCharacters(in: .whitespacesAndNewlines)])
                }
            }
            try? FileManager.default.removeItem(at: stale)
        }
        let folder = cache.appendingPathComponent("\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let history = folder.appendingPathComponent("history.om")
        try EdgeHistory.openMetrics(cases).write(to: history, atomically: true, encoding: .utf8)
        var started: [(String, Int32)] = []
        var backends: [(String, String)] = []
        do {
            for (label, script, data, prefix) in [
                ("Prometheus", prometheusScript, "prometheus", "PROM"),
                ("VictoriaMetrics", victoriaScript, "vm", "VM"),
            ] {
                let output = try SampleWorld.run(
                    script,
                    [
                        "start", "--history", history.path,
                        "--data", folder.appendingPathComponent(data).path,
                    ])
                var values: [String: String] = [:]
                for line in output.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                    if parts.count == 2 { values[parts[0]] = parts[1] }
                }
                guard let url = values["\(prefix)_URL"], let pid = values["\(prefix)_PID"].flatMap(Int32.init) else {
                    throw NSError(
                        domain: "EdgeBackends", code: 1, userInfo: [NSLocalizedDescriptionKey: "no URL in \(output)"])
                }
                started.append((script, pid))
                backends.append((label, url))
            }
        } catch {
            for (script, pid) in started { _ = try? SampleWorld.execute(script, ["stop", String(pid)]) }
            throw error
        }
        return EdgeBackends(backends: backends, pids: started, folder: folder)
    }

    private init(backends: [(String, String)], pids: [(String, Int32)], folder: URL) {
        self.backends = backends.map { (name: $0.0, url: $0.1) }
        self.pids = pids.map { (script: $0.0, pid: $0.1) }
        self.folder = folder
    }

    /// Stops both servers and removes their data.
    func stop() {
        for (script, pid) in pids { _ = try? SampleWorld.execute(script, ["stop", String(pid)]) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The moment the tests pretend it is: after every history.
    static let now = DateText.parseInstant("2026-11-22T00:00:00Z")!

    /// Hourly tokens per gateway for `period` (UTC) from the server at `url` with `plan`, and the coverage.
    static func usage(url: String, plan: FetchPlan, period text: String) async throws -> (
        hourly: [String: [Int64]],
        usage: MeasuredUsage
    ) {
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(url)
        config.prometheus.plan = plan
        config.metrics.cost = nil
        let period = try Period.parse(text, in: TimeZone(identifier: "UTC")!, now: now)
        let queries = QueryPlan(config: config, period: period, now: now)
        let settings = config.prometheus
        let usage = try await PrometheusClient.using(settings: settings, logger: Logger(label: "test")) { client in
            try await UsageFetcher(client: client, logger: Logger(label: "test")).fetch(
                plan: queries, config: config, now: now)
        }
        var hourly: [String: [Int64]] = [:]
        for (key, hours) in usage.tokens {
            hourly[key.gateway] = zip(hourly[key.gateway] ?? Array(repeating: 0, count: hours.count), hours).map(+)
        }
        return (hourly, usage)
    }
}
