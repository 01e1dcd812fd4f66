import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The gateways' own view of pricing (issue 29, item 3), from a day of minute scrapes written by
/// remote write: `agentgateway-system/new` (v1.5.0, catalog on) counts 90 priced and 10 missing
/// lookups an hour and exports its cost counter; `agentgateway-system/off` (v1.5.0) has its catalog
/// off (every lookup `NoCatalog`); `agentgateway-system/old` (v1.3.2) has neither counter. The
/// lookups are exact counter increases; each gateway without a cost counter is named with why.
final class GatewayPricingViewIntegrationTests: XCTestCase {
    static let day = DateText.parseInstant("2026-10-14T00:00:00Z")!

    func testTheReportShowsEachGatewaysLookupsAndWhyACostCounterIsMissing() async throws {
        let prometheus = try await LiveScraper(
            .prometheus, scrapeConfig: "scrape_configs: []\n", extraFlags: ["--web.enable-remote-write-receiver"])
        defer { prometheus.stop() }
        try await Self.write(to: prometheus.url)
        let report = try await BackendReport.build(url: prometheus.url, period: "2026-10-14")
        let view = report.reconciliation.pricing
        XCTAssertEqual(view.rows.map(\.gateway), ["agentgateway-system/new", "agentgateway-system/off"])
        // 90 priced and 10 missing lookups a minute, counted exactly over the day.
        XCTAssertEqual(view.rows.first?.lookups, ["Exact": 24 * 90 * 60, "Missing": 24 * 10 * 60])
        XCTAssertEqual(view.rows.last?.lookups, ["NoCatalog": 24 * 60 * 60])
        let reasons = Dictionary(uniqueKeysWithValues: view.withoutCost.map { ($0.gateway, $0.reason) })
        XCTAssertEqual(
            reasons,
            [
                "agentgateway-system/old": "its build v1.3.2 predates the cost counter (agentgateway v1.4.0)",
                "agentgateway-system/off": "its model catalog is off (86400 of 86400 lookups found no catalog)",
            ])
        let markdown = try MarkdownRenderer().render(report, reproduce: "")
        for part in [
            "| agentgateway-system/new | 144,000 | 129,600 | 0 | 14,400 | 0 | 10.0 % | 0 |",
            "agentgateway-system/old (its build v1.3.2 predates the cost counter (agentgateway v1.4.0))",
        ] {
            XCTAssertTrue(markdown.contains(part), "the report shows \(part)")
        }
    }

    /// The history: each gateway's token counter (1,000 input tokens a minute), build info, and the
    /// lookup and cost counters where the gateway has them, from 2026-10-12 to 2026-10-16.
    static func write(to url: String) async throws {
        let start = DateText.parseInstant("2026-10-12T00:00:00Z")!
        for dayIndex in 0..<4 {
            var series: [RemoteWriter.Series] = []
            let minutes = (0..<1440).map { dayIndex * 1440 + $0 }
            func add(_ labels: [String: String], _ value: (Int) -> Double) {
                series.append(
                    RemoteWriter.Series(
                        labels: labels,
                        floats: minutes.map { (start.addingTimeInterval(Double($0) * 60 + 7).millis, value($0)) }))
            }
            for (name, tag) in [("new", "v1.5.0"), ("off", "v1.5.0"), ("old", "v1.3.2")] {
                let gateway = "agentgateway-system/\(name)"
                let common = ["job": "agentgateway", "pod": "\(name)-0", "namespace": "agentgateway-system"]
                let genAI = common.merging([
                    "gateway": gateway, "gen_ai_request_model": "claude-sonnet-4-5-20250929",
                    "gen_ai_system": "anthropic", "gen_ai_operation_name": "chat",
                ]) { $1 }
                add(
                    genAI.merging([
                        "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gen_ai_token_type": "input",
                    ]) { $1 }
                ) { Double($0 * 1000) }
                add(common.merging(["__name__": "agentgateway_build_info", "tag": tag]) { $1 }) { _ in 1 }
                switch name {
                case "new":
                    add(genAI.merging(["__name__": GatewayPricingView.lookupMetric, "status": "Exact"]) { $1 }) {
                        Double($0 * 90)
                    }
                    add(genAI.merging(["__name__": GatewayPricingView.lookupMetric, "status": "Missing"]) { $1 }) {
                        Double($0 * 10)
                    }
                    add(genAI.merging(["__name__": "agentgateway_gen_ai_client_cost_usd_total"]) { $1 }) {
                        Double($0) * 0.003
                    }
                case "off":
                    add(genAI.merging(["__name__": GatewayPricingView.lookupMetric, "status": "NoCatalog"]) { $1 }) {
                        Double($0 * 60)
                    }
                default: break
                }
            }
            try await RemoteWriter.send(series, to: url)
        }
    }
}
