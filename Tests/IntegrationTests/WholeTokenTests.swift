import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Issue 28, items 1 and 2, on the sample October (a 60/40 split and a shared pool) and on the
/// same month split 5 % each way over 20 teams: every chargeback row bills no more tokens than it
/// measured, exactly as many where nothing cached is inside `input`, and FOCUS carries the same
/// whole tokens.
final class WholeTokenTests: XCTestCase {
    static func twentyWay(_ config: inout ChargebackConfig) {
        let teams = (1...20).map { Team(name: "team-\($0)", costCenter: "CC-\($0)") }
        config.teams = TeamBook(
            teams: teams,
            rules: [TeamRule(match: [:], action: .split(teams.map { ($0.name, Decimal(5)) }), origin: "teams.yaml:3")],
            unallocated: .report)
    }

    func testChargebackRowsAndFOCUSHoldTheSameWholeTokens() async throws {
        let world = try SampleWorld.get()
        for name in ["sample October", "20-way"] {
            let report = try await BackendReport.build(url: world.url) { config in
                if name == "20-way" { Self.twentyWay(&config) }
            }
            // Keys with nothing cached inside `input` (every key but OpenAI-style input).
            let uncached = Set(report.lines.filter { $0.billableTokens == $0.tokens }.map(\.key))
            XCTAssertLessThan(uncached.count, report.lines.count, "\(name): some input holds cache reads")
            var split = 0
            for row in report.allocation.rows {
                XCTAssertLessThanOrEqual(row.billableTokens, row.tokens, "\(name): \(row.team) \(row.key)")
                if uncached.contains(row.key) {
                    XCTAssertEqual(row.billableTokens, row.tokens, "\(name): \(row.team) \(row.key)")
                }
                if row.rule != "teams.yaml:8" && row.rule != "teams.yaml:10" { split += 1 }
            }
            XCTAssertGreaterThan(split, 20, "\(name): split and shared rows")
            let (_, focus) = try CSVParser.records(FOCUSRenderer.render(report))
            let (_, chargeback) = try CSVParser.records(CSVReports.chargeback(report))
            XCTAssertEqual(focus.count, chargeback.count, name)
            for (charge, row) in zip(focus, chargeback) {
                XCTAssertEqual(charge["x_Team"], row["team"], name)
                XCTAssertEqual(charge["PricingQuantity"], row["billable_tokens"].map { $0 + ".0" }, "\(name): \(row)")
                XCTAssertEqual(charge["ConsumedQuantity"], row["tokens"].map { $0 + ".0" }, "\(name): \(row)")
            }
        }
    }
}
