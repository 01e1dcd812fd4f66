import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// A zero budget (a team with no allowance) and a zero threshold are accepted, and every cost exceeds them.
final class ZeroLimitTests: XCTestCase {
    func testZeroBudgetAndZeroThresholdsLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-zero-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = ConfigLoaderTests.config.replacingOccurrences(
            of: "thresholds: { daily_usd: 50 }", with: "thresholds: { daily_usd: 0, hourly_projection_usd_per_day: 0 }")
        let teams = ConfigLoaderTests.teams.replacingOccurrences(
            of: "- { name: Research }",
            with: "- { name: Research, monthly_budget_usd: 0 }")
        for (name, text) in ["chargeback.yaml": config, "pricing.yaml": ConfigLoaderTests.pricing, "teams.yaml": teams]
        {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let loaded = try ConfigLoader.load(path: folder.appendingPathComponent("chargeback.yaml").path)
        XCTAssertEqual(loaded.thresholds.daily, 0)
        XCTAssertEqual(loaded.thresholds.hourlyProjectionPerDay, 0)
        XCTAssertEqual(loaded.teams.teams.first { $0.name == "Research" }?.monthlyBudget, 0)

        let negative = teams.replacingOccurrences(of: "monthly_budget_usd: 0 }", with: "monthly_budget_usd: -1 }")
        try negative.write(to: folder.appendingPathComponent("teams.yaml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigLoader.load(path: folder.appendingPathComponent("chargeback.yaml").path)) {
            error in
            XCTAssertTrue((error as? InputError)?.message.contains("must be 0") == true, "\(error)")
        }
    }

    func testEveryCostExceedsAZeroBudgetOrThreshold() {
        let team = Team(name: "Research", costCenter: "", owner: "", monthlyBudget: 0)
        func budget(_ cost: Decimal) -> LimitStatus {
            var group = Group(name: "Research")
            group.cost = cost
            return BudgetStatus(group: group, team: team, budget: 0).status
        }
        XCTAssertEqual(budget(Decimal(string: "0.01")!), .exceeded)
        XCTAssertEqual(budget(Decimal(string: "224.89")!), .exceeded)
        XCTAssertEqual(budget(0), .ok, "nothing spent is within a zero allowance")
        func threshold(_ cost: Decimal) -> LimitStatus {
            ThresholdCheck(
                scope: .total, window: .day, label: "1970-01-01", start: Date(timeIntervalSince1970: 0),
                end: Date(timeIntervalSince1970: 86400), cost: cost, threshold: 0, partial: false
            ).status
        }
        XCTAssertEqual(threshold(Decimal(string: "0.000001")!), .exceeded)
        XCTAssertEqual(threshold(0), .ok)
    }
}
