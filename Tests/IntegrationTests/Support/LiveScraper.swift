import AsyncHTTPClient
import Foundation
import TestSupport
import XCTest

/// A real Prometheus or VictoriaMetrics scraping live targets from a scrape config of the test's
/// own, on a free port of 127.0.0.1, with its data in a scratch folder. ``stop()`` ends it by PID.
final class LiveScraper: @unchecked Sendable {
    enum Kind: String, Sendable {
        case prometheus
        case victoriaMetrics = "victoria-metrics"
    }

    let kind: Kind
    let url: String
    private let process: ChildProcess.Running
    private let folder: URL

    /// Starts the server with `scrapeConfig` (a YAML `scrape_configs:` document) and waits until
    /// it answers. Skips the test when the binary is not installed.
    init(_ kind: Kind, scrapeConfig: String, extraFlags: [String] = []) async throws {
        guard let binary = SampleWorld.which(kind.rawValue) else {
            throw XCTSkip("\(kind.rawValue) is not installed (scripts/install-deps.sh installs it)")
        }
        self.kind = kind
        folder = TemporaryFolder("cb-live-\(kind.rawValue)").url
        let config = folder.appendingPathComponent("scrape.yml")
        try scrapeConfig.write(to: config, atomically: true, encoding: .utf8)
        let port = try ClosedPort.find()
        url = "http://127.0.0.1:\(port)"
        let arguments: [String] =
            switch kind {
            case .prometheus:
                [
                    "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
                    "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
                ]
            case .victoriaMetrics:
                // Points become visible at once (not 30 s later) and answers are not cached, so a
                // report right after the run sees all of it.
                [
                    "-promscrape.config=\(config.path)",
                    "-storageDataPath=\(folder.appendingPathComponent("data").path)",
                    "-httpListenAddr=127.0.0.1:\(port)", "-retentionPeriod=1d", "-search.latencyOffset=0s",
                    "-search.disableCache", "-selfScrapeInterval=0", "-loggerLevel=WARN",
                ]
            }
        process = try ChildProcess.start(
            binary, arguments + extraFlags, environment: ProcessInfo.processInfo.environment)
        let ready = kind == .prometheus ? "/-/ready" : "/health"
        for _ in 0..<240 {
            if let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: url + ready), timeout: .seconds(2)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        stop()
        throw NSError(
            domain: "LiveScraper", code: 1,
            userInfo: [NSLocalizedDescriptionKey: "\(kind.rawValue) did not become ready on \(url) within a minute"])
    }

    /// SIGTERM, then waits for the exit; removes the data.
    func stop() {
        process.kill(SIGTERM)
        let outcome = process.wait()
        if outcome.status != 0 && outcome.status != 128 + SIGTERM {
            print("\(kind.rawValue) exited \(outcome.status): \(outcome.stderr.suffix(2000))")
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
