import XCTest

@testable import ChargebackCore

/// The gateways' own view of pricing: their catalog lookups next to our unpriced tokens, and a
/// reason for each gateway with usage but no cost counter (issue 29, item 3).
final class GatewayPricingViewTests: XCTestCase {
    func testEachGatewayWithoutACostCounterSaysWhy() {
        let view = GatewayPricingView.of(
            usage: ["gw/new": 0, "gw/old": 0, "gw/off": 0, "gw/none": 1200, "gw/silent": 0],
            lookups: [
                "gw/new": ["Exact": 90, "Missing": 10], "gw/off": ["NoCatalog": 40],
                "gw/none": ["Missing": 7, "Unpriced": 3],
            ],
            costGateways: ["gw/new"],
            builds: ["gw/new": ["v1.5.0"], "gw/old": ["v1.3.2"], "gw/off": ["v1.5.0"], "gw/none": ["v1.5.0"]])
        XCTAssertEqual(view.rows.map(\.gateway), ["gw/new", "gw/none", "gw/off"])
        XCTAssertEqual(view.rows[0].unpricedShare, 0.1)
        XCTAssertEqual(view.rows[1].unpricedShare, 1)
        XCTAssertEqual(view.rows[1].ourUnpricedTokens, 1200)
        let reasons = Dictionary(uniqueKeysWithValues: view.withoutCost.map { ($0.gateway, $0.reason) })
        XCTAssertEqual(Set(reasons.keys), ["gw/old", "gw/off", "gw/none"], "nothing tells why for gw/silent")
        XCTAssertEqual(reasons["gw/old"], "its build v1.3.2 predates the cost counter (agentgateway v1.4.0)")
        XCTAssertEqual(reasons["gw/off"], "its model catalog is off (40 of 40 lookups found no catalog)")
        XCTAssertEqual(
            reasons["gw/none"], "its catalog prices none of its requests (7 lookups without an entry, 3 without rates)")
    }

    func testTheBuildsOfAGatewayComeFromItsTargets() {
        let builds = CatalogLookups.gatewayBuilds(
            ["v1.5.0": ["pod-a"], "v1.3.2": ["pod-b", "10.0.0.9:15020"]],
            series: [
                ["gateway": "gw/x", "pod": "pod-a"], ["gateway": "gw/y", "pod": "pod-b"],
                ["gateway": "gw/z", "instance": "10.0.0.9:15020"],
            ], gatewayLabel: "gateway")
        XCTAssertEqual(builds, ["gw/x": ["v1.5.0"], "gw/y": ["v1.3.2"], "gw/z": ["v1.3.2"]])
    }
}
