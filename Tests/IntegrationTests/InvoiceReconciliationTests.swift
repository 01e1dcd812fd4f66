import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// generate-history's October invoices against the sample month: the reconciliation finds exactly
/// what the generator put in beyond list price × true tokens (a 1h-cache-write surcharge on Claude
/// Sonnet from the 20th, a web search charge no counter sees), the declared discount is no
/// difference, and `--basis invoice` makes the teams pay exactly the invoices.
final class InvoiceReconciliationTests: XCTestCase {
    static let adjustments = """
        models: []
        adjustments:
          discounts: [ { match: { system: anthropic }, percent: 10, from: 2025-01-01 } ]
          markup: [ { percent: 5, from: 2026-01-01 } ]
          fixed: [ { name: Platform fee, amount: 200, from: 2026-01-01, allocate: even } ]
          credits: [ { name: Launch credit, amount: 50, month: 2026-10, allocate: { team: Research } } ]
        """

    /// The sample config with the invoice discount and the other adjustments, and `invoices`.
    static func configure(_ config: inout ChargebackConfig, invoices: [URL], basis: AllocationBasis = .measured) {
        let terms = (try? FuzzEntryPoints.parsePriceBook(Array(adjustments.utf8)))!.adjustments
        config.pricing = PriceBook(
            currency: "USD", models: config.pricing.models, unpriced: config.pricing.unpriced,
            adjustments: terms)
        config.billing.invoices = invoices.map(\.path)
        config.billing.basis = basis
    }

    static func invoices(_ world: SampleWorld, _ names: [String]) -> [URL] {
        names.map { world.historyFolder.appendingPathComponent("invoices").appendingPathComponent($0) }
    }

    static let json = ["anthropic-cost-report-2026-10.json", "openai-costs-2026-10.json"]

    func testTheReconciliationFindsExactlyWhatTheInvoicesHold() async throws {
        let world = try SampleWorld.get()
        for names in [Self.json, ["focus-2026-10.csv"]] {
            let report = try await BackendReport.build(url: world.url) {
                Self.configure(&$0, invoices: Self.invoices(world, names))
            }
            let result = report.invoiceReconciliation
            let beyond = result.rows.filter { $0.status != .ok }
            let day = { (row: ReconciliationRow) in DateText.day(row.start) }
            // The surcharge: every Sonnet day from the 20th, over by the 1h writes' extra 0.75 × 2.25 / 3.75 of list.
            let over = beyond.filter { $0.status == .over }
            XCTAssertEqual(Set(over.map(\.model)), ["claude-sonnet-4-5*"], "\(names)")
            XCTAssertEqual(over.map(day), (20...31).map { "2026-10-\($0)" }, "\(names)")
            XCTAssertTrue(over.allSatisfy { $0.explanation.contains { $0.contains("1h cache writes") } }, "\(names)")
            // The charge no counter saw.
            let only = beyond.filter { $0.status == .invoiceOnly }
            XCTAssertEqual(only.map(day), ["2026-10-14"], "\(names)")
            XCTAssertEqual(only.first?.invoiced, Decimal(string: "12.34"), "\(names)")
            // Nothing else beyond the tolerance: the 10 % discount is declared, the rest is measured exactly.
            XCTAssertEqual(
                beyond.count, over.count + only.count,
                "\(names): \(beyond.map { "\($0.model) \(day($0)) \($0.status)" })")
            XCTAssertEqual(Set(result.matches.map(\.provider)), ["anthropic", "openai"], "\(names)")
        }
    }

    func testWithInvoiceBasisTheTeamsPayExactlyTheInvoices() async throws {
        let world = try SampleWorld.get()
        let report = try await BackendReport.build(url: world.url) {
            Self.configure(&$0, invoices: Self.invoices(world, Self.json), basis: .invoice)
        }
        let invoiced = report.invoiceReconciliation.invoices.reduce(Decimal(0)) { $0 + $1.total }
        let teams = report.allocation.teamOrder.reduce(Decimal(0)) { $0 + report.allocation.cost(of: $1) }
        XCTAssertEqual(teams, Money.round(invoiced))
        XCTAssertEqual(
            report.allocation.cost(of: TeamBook.unallocatedName), Decimal(string: "12.34"),
            "the web search charge covers no usage")
        XCTAssertEqual(report.basis, .invoice)
        // Discounts are in the invoices already; markup, the fee and the credit still apply.
        XCTAssertEqual(Set(report.adjustments.lines.map(\.kind)), [.markup, .fixed, .credit])
    }
}
