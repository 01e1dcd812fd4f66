import ChargebackCore
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import XCTest

/// Monitoring added to running gateways, scraped live (issue 29): two pods have served 20 tokens a
/// second for 13.5 days when Prometheus and VictoriaMetrics first scrape them (their first value
/// holds that past); a stand-in kube-state-metrics knows one pod's `kube_pod_created`, not the
/// other's. A day wholly before the first scrape reads the known pod's part of the first value
/// (found after the period), six hours that hold the first scrape read theirs; the unknown pod,
/// with under an hour of traffic after its first sample to estimate a start from, keeps its value
/// at the sample, and a warning says so. About 45 s.
final class LateMonitoringLiveTests: XCTestCase {
    static let namespace = "agentgateway-system"
    static let scraped = "scraped-0"
    static let known = "late-known-0"
    static let unknown = "late-unknown-0"
    /// Tokens a second each late pod served before and while scraped.
    static let rate: Int64 = 20
    static let age: TimeInterval = 13.5 * 86400

    func testAPodFirstScrapedDaysAfterItStartedIsSharedBackLive() async throws {
        let exporter = try await AgentgatewayExporter.start([
            .init(name: Self.scraped, gateway: "\(Self.namespace)/scraped", tag: "v1.5.0"),
            .init(name: Self.known, gateway: "\(Self.namespace)/late-known", tag: "v1.5.0", state: .failing),
            .init(name: Self.unknown, gateway: "\(Self.namespace)/late-unknown", tag: "v1.5.0", state: .failing),
        ])
        // The past the late pods served, up to now: their pods were created `age` ago.
        let created = TestClock.serverNow().addingTimeInterval(-Self.age)
        let stateMetrics = try await Self.kubeStateMetrics(created: created)
        let scrapers: [LiveScraper]
        do {
            let config = Self.scrapeConfig(exporter: exporter, stateMetricsPort: stateMetrics.port)
            scrapers = [
                try await LiveScraper(.prometheus, scrapeConfig: config),
                try await LiveScraper(.victoriaMetrics, scrapeConfig: config),
            ]
        } catch {
            await exporter.stop()
            await stateMetrics.stop()
            throw error
        }
        defer { for scraper in scrapers { scraper.stop() } }
        for scraper in scrapers { try await NativeHistogramTests.waitForScrape(scraper.url) }
        let route = "\(Self.namespace)/anthropic"
        let model = "claude-sonnet-4-5-20250929"
        func serve(_ pod: String, _ tokens: Int64) {
            exporter.serve(pod: pod, system: "anthropic", model: model, route: route, tokens: ["input": tokens])
        }
        serve(Self.scraped, 100)
        for pod in [Self.known, Self.unknown] { serve(pod, Self.rate * Int64(Self.age)) }
        // Well after the scraped pod's first token sample, so the late pods' are not at the data's edge.
        try await Task.sleep(for: .seconds(10))
        for pod in [Self.known, Self.unknown] { exporter.setState(pod, .serving) }
        for _ in 0..<60 {
            for pod in [Self.scraped, Self.known, Self.unknown] { serve(pod, Self.rate / 2) }
            try await Task.sleep(for: .milliseconds(500))
        }
        try await Task.sleep(for: .seconds(3))
        let end = TestClock.serverNow()
        await exporter.stop()
        await stateMetrics.stop()
        let firstScrape = try XCTUnwrap(exporter.scrapes.first { $0.pod == Self.known }?.time)
        // What the pods served after their past (its request logged 10 s before they were scraped).
        let past = try XCTUnwrap(exporter.requests.first { $0.pod == Self.known }?.time)
        let served = exporter.served(from: past.addingTimeInterval(1), to: end)

        let zone = TimeZone(identifier: "UTC")!
        let sixHoursBefore = Date(timeIntervalSince1970: firstScrape.timeIntervalSince1970.rounded(.down) - 6 * 3600)
        let before = Period(
            label: "before", start: sixHoursBefore.addingTimeInterval(-86400), end: sixHoursBefore, timeZone: zone)
        let holding = Period(
            label: "holding", start: sixHoursBefore,
            end: Date(timeIntervalSince1970: end.timeIntervalSince1970.rounded(.up)),
            timeZone: zone)
        for scraper in scrapers {
            let name = scraper.kind.rawValue
            // A day before the first scrape: the known pod's part of its first value.
            let day = try await BackendReport.build(url: scraper.url, period: before, now: end.addingTimeInterval(1))
            let dayTotals = BackendReport.totals(day)
            let dayTruth = Self.rate * 86400
            let dayKnown = dayTotals["\(Self.namespace)/late-known input"] ?? 0
            print("\(name) day before: \(dayKnown) tokens against \(dayTruth)")
            XCTAssertLessThanOrEqual(abs(Double(dayKnown - dayTruth)) / Double(dayTruth), 0.01, name)
            XCTAssertNil(dayTotals["\(Self.namespace)/late-unknown input"], "\(name): no start known, no share")
            let messages = day.diagnostics.map(\.message)
            let shared = messages.first { $0.contains("ran before they were first scraped") } ?? ""
            for part in [
                "pod=\"\(Self.known)\"", "(kube_pod_created)", "shared from \(DateText.utc(created).prefix(16))",
            ] {
                XCTAssertTrue(shared.contains(part), "\(name) names \(part): \(shared)")
            }
            let unshared = messages.first { $0.contains("no pod start is known") } ?? ""
            XCTAssertTrue(unshared.contains("pod=\"\(Self.unknown)\""), "\(name): \(unshared)")

            // Six hours holding the first scrape: their part, and what was served live after it.
            let hours = try await BackendReport.build(url: scraper.url, period: holding, now: end.addingTimeInterval(1))
            let totals = BackendReport.totals(hours)
            let live = served["\(Self.namespace)/late-known input"] ?? 0
            let truth = Self.rate * 6 * 3600 + live
            let reported = totals["\(Self.namespace)/late-known input"] ?? 0
            print("\(name) six hours holding the first scrape: \(reported) tokens against \(truth)")
            XCTAssertLessThanOrEqual(abs(Double(reported - truth)) / Double(truth), 0.01, name)
            let unknown = totals["\(Self.namespace)/late-unknown input"] ?? 0
            XCTAssertGreaterThanOrEqual(unknown, Self.rate * Int64(Self.age), "\(name): counted at its sample")
            XCTAssertTrue(
                hours.diagnostics.contains { $0.message.contains("no pod start is known") }, "\(name): the warning")
        }
    }

    static func scrapeConfig(exporter: AgentgatewayExporter, stateMetricsPort: Int) -> String {
        let targets = [scraped, known, unknown].map { pod in
            """
                  - targets: ['127.0.0.1:\(exporter.port(pod))']
                    labels: { namespace: \(namespace), pod: \(pod) }
            """
        }.joined(separator: "\n")
        return """
            global: { scrape_interval: 1s, scrape_timeout: 900ms }
            scrape_configs:
              - job_name: agentgateway
                static_configs:
            \(targets)
              - job_name: kube-state-metrics
                honor_labels: true
                static_configs:
                  - targets: ['127.0.0.1:\(stateMetricsPort)']
            """
    }

    /// A stand-in for kube-state-metrics: `kube_pod_created` of the scraped pod and the known late
    /// pod (seconds since 1970), none of the unknown one.
    static func kubeStateMetrics(created: Date) async throws -> LocalHTTPServer {
        let seconds = Int64(created.timeIntervalSince1970)
        let text = """
            # HELP kube_pod_created Unix creation timestamp
            # TYPE kube_pod_created gauge
            kube_pod_created{namespace="\(namespace)",pod="\(scraped)",uid="a1"} \(seconds)
            kube_pod_created{namespace="\(namespace)",pod="\(known)",uid="b2"} \(seconds)

            """
        return try await LocalHTTPServer { request, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
            try await LocalHTTPServer.respond(
                outbound, to: request.head, status: 200, headers: headers, body: ByteBuffer(string: text))
            return .keepReading
        }
    }
}
