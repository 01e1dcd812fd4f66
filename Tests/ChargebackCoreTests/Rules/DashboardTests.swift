import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class DashboardTests: XCTestCase {
    /// Every panel query of the dashboard, with the panel's title.
    static func queries(_ json: String) throws -> [(title: String, expr: String)] {
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let panels = try XCTUnwrap(root["panels"] as? [[String: Any]])
        return panels.flatMap { panel in
            ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "?", $0) }
            }
        }
    }

    func testTheDashboardParsesAndReadsOnlyRecordedRules() throws {
        let config = try RulesFixtures.sampleConfig()
        let json = try DashboardBuilder.json(config: config)
        let defined = Set(
            try RuleGenerator.generate(config: config, at: DateText.parseInstant("2026-11-01T00:00:00Z")!)
                .recordingRules.map(\.record))
        let queries = try Self.queries(json)
        XCTAssertGreaterThanOrEqual(queries.count, 10)
        var used = Set<String>()
        for (title, expr) in queries {
            let names = PromQLNames.metrics(in: expr)
            XCTAssertFalse(names.isEmpty, "\(title): \(expr)")
            XCTAssertTrue(names.isSubset(of: defined), "\(title) reads undefined \(names.subtracting(defined))")
            used.formUnion(names)
        }
        for name in [
            "agentgateway:cost_usd:total_daily", "agentgateway:cost_usd:by_gateway_daily",
            "agentgateway:tokens:by_model_hourly",
        ] {
            XCTAssertTrue(used.contains(name), "a panel shows \(name)")
        }
    }

    func testTheDataSourceIsAVariableAndThresholdsAreDrawn() throws {
        let json = try DashboardBuilder.json(config: try RulesFixtures.sampleConfig())
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let variables = try XCTUnwrap((root["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        XCTAssertEqual(variables.first?["type"] as? String, "datasource")
        XCTAssertEqual(variables.first?["query"] as? String, "prometheus")
        let panels = try XCTUnwrap(root["panels"] as? [[String: Any]])
        for panel in panels {
            XCTAssertEqual((panel["datasource"] as? [String: Any])?["uid"] as? String, "${datasource}")
        }
        let total = try XCTUnwrap(panels.first { $0["title"] as? String == "Total cost, rolling 24 hours" })
        let defaults = try XCTUnwrap((total["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])
        let steps = try XCTUnwrap((defaults["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.last?["value"] as? Double, 50)
        XCTAssertEqual(
            ((defaults["custom"] as? [String: Any])?["thresholdsStyle"] as? [String: Any])?["mode"] as? String, "line")
        XCTAssertFalse(json.contains("\\/"), "slashes are not escaped")
    }

    func testPromQLNamesFindsMetricsOnly() {
        XCTAssertEqual(
            PromQLNames.metrics(in: #"sum by (gateway) (a:b{x="y:z"}[5m]) * 24 > 1e6 or vector(0)"#), ["a:b"])
        XCTAssertEqual(
            PromQLNames.metrics(in: "# note: c:d\nsum(rate(m_total[1h])) / on (g) group_left x"), ["m_total", "x"])
    }
}
