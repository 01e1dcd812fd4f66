import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The report's method section states the rounding rule the code applies, and where it applies it.
final class RoundingStatementTests: XCTestCase {
    func testTheStatedRuleIsTheRuleTheCodeApplies() throws {
        let method = ReportMethod.text(try ReportFixture.make())
        XCTAssertTrue(method.contains("half away from zero (0.125 → 0.13, 0.135 → 0.14)"), method)
        XCTAssertTrue(method.contains("controlled rounding"), method)
        // Half-even would give 0.12 for 0.125; half away from zero gives 0.13, and -0.13 below zero.
        XCTAssertEqual(Money.round(Decimal(string: "0.125")!), Decimal(string: "0.13")!)
        XCTAssertEqual(Money.round(Decimal(string: "0.135")!), Decimal(string: "0.14")!)
        XCTAssertEqual(Money.round(Decimal(string: "-0.125")!), Decimal(string: "-0.13")!)
        XCTAssertEqual(Currency.usd.format(Decimal(string: "0.125")!), "$0.13")
        // The total is rounded once; the parts' cents add up to it.
        let parts = Money.largestRemainder(
            [Decimal(string: "0.335")!, Decimal(string: "0.335")!, Decimal(string: "0.33")!],
            total: Money.round(1))
        XCTAssertEqual(
            parts, [Decimal(string: "0.34")!, Decimal(string: "0.33")!, Decimal(string: "0.33")!],
            "the leftover cent goes to the earlier of two equal remainders")
    }

    func testTheMarkdownReportCarriesTheStatement() throws {
        let markdown = try MarkdownRenderer().render(ReportFixture.make(), reproduce: "")
        XCTAssertTrue(markdown.contains("Cents are rounded once, in one ledger"), "method section")
        XCTAssertTrue(markdown.contains("half away from zero (0.125 → 0.13, 0.135 → 0.14)"), "method section")
    }
}
