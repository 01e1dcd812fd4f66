import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// A `shared: proportional` pool with no direct cost to follow: warned about in the report, or
/// refused when the rules make it certain.
final class SharedPoolFallbackTests: XCTestCase {
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    func line(_ gateway: String, cost: Decimal) -> CostLine {
        CostLine(
            key: UsageKey(gateway: gateway, model: "m", tokenType: "input", system: "s"), hourlyTokens: [1000],
            hourlyCost: [cost], cacheTokensExcluded: 0, unpriced: false)
    }

    /// The direct rule's gateway had no usage this period, so the pool fell back to even and says so.
    func testAPoolWithNothingToFollowIsSplitEvenlyWithAWarning() throws {
        let book = TeamBook(
            teams: [Team(name: "Search", monthlyBudget: 100), Team(name: "Research")],
            rules: [
                TeamRule(match: ["gateway": Glob("direct")], action: .team("Search"), origin: "teams.yaml:8"),
                TeamRule(match: ["gateway": Glob("*")], action: .shared(.proportional), origin: "teams.yaml:10"),
            ], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: [line("pool", cost: Decimal(string: "449.78")!)], book: book,
            dimensions: dimensions, teamsFile: "teams.yaml", buckets: [0..<1])
        XCTAssertEqual(allocation.cost(of: "Search"), Decimal(string: "224.89")!)
        XCTAssertEqual(allocation.cost(of: "Research"), Decimal(string: "224.89")!)
        XCTAssertEqual(allocation.evenFallbacks, ["teams.yaml:10"])
        let warning = try XCTUnwrap(allocation.diagnostics.first)
        XCTAssertEqual(warning.severity, .warning)
        XCTAssertTrue(warning.message.contains("teams.yaml:10"), warning.message)
        XCTAssertTrue(warning.message.contains("split evenly"), warning.message)
        XCTAssertTrue(warning.message.contains("no team has direct cost"), warning.message)

        // With direct cost there is something to follow: no fallback, no warning.
        let followed = try Allocator.allocate(
            lines: [line("pool", cost: 300), line("direct", cost: 10)], book: book,
            dimensions: dimensions, teamsFile: "teams.yaml", buckets: [0..<1])
        XCTAssertEqual(followed.cost(of: "Research"), 0)
        XCTAssertEqual(followed.evenFallbacks, [])
        XCTAssertEqual(followed.diagnostics, [])
    }

    /// When no rule can ever give direct cost, `proportional` is refused at its place in the file.
    func testProportionalWithOnlySharedRulesIsRefused() throws {
        let text = """
            teams:
              - { name: Search }
              - { name: Research }
            rules:
              - match: { gateway: "*" }
                shared: proportional
            """
        XCTAssertThrowsError(try TeamBookParser.parse(YAMLValue.parse(text, file: "teams.yaml"))) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.line, 6)
            XCTAssertTrue(error.message.contains("no rule gives a team direct cost"), error.message)
        }
        let fine = text.replacingOccurrences(
            of: "rules:\n", with: "rules:\n  - match: { gateway: gw1 }\n    team: Search\n")
        XCTAssertNoThrow(try TeamBookParser.parse(YAMLValue.parse(fine, file: "teams.yaml")))
    }
}
