import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class ReconcilerTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    func book(discount: Bool) throws -> PriceBook {
        try PriceBookParser.parse(
            try YAMLValue.parse(
                """
                models:
                  - match: "claude-sonnet-4-5*"
                    prices: [ { from: 2025-01-01, input: 3, output: 15 } ]
                  - match: "gpt-4o*"
                    prices: [ { from: 2025-01-01, input: 2.5, output: 10 } ]
                \(discount ? "adjustments:\n  discounts: [ { match: { system: anthropic }, percent: 10, from: 2025-01-01 } ]" : "")
                """, file: "pricing.yaml"))
    }

    /// A line costing `perDay` on each of the period's days, in its first hour.
    func line(_ system: String, _ model: String, perDay: Decimal, buckets: Buckets) -> CostLine {
        var cost = [Decimal](repeating: 0, count: buckets.hourCount)
        for day in buckets.days { cost[day.hours.lowerBound] = perDay }
        return CostLine(
            key: UsageKey(gateway: "g", model: model, tokenType: "output", system: system),
            hourlyTokens: cost.map { $0 == 0 ? 0 : 1000 }, hourlyCost: cost, cacheTokensExcluded: 0,
            unpriced: false)
    }

    func invoiceLine(_ provider: String, _ model: String?, day: Int, _ amount: Decimal, _ says: String = "")
        -> InvoiceLine
    {
        let start = DateText.parseDay(String(format: "2026-10-%02d", day), in: utc)!
        return InvoiceLine(
            record: "r\(day)", provider: provider, model: model, start: start,
            end: start.addingTimeInterval(86_400), amount: amount, currency: "USD", description: says)
    }

    func testRowsFindTheDifferencesAndNothingElse() throws {
        let buckets = Buckets(period: try Period.parse("2026-10", in: utc))
        let lines = [
            line("anthropic", "claude-sonnet-4-5", perDay: 100, buckets: buckets),
            line("openai", "gpt-4o-2024-08-06", perDay: 20, buckets: buckets),
            line("aws.bedrock", "claude-sonnet-4-5", perDay: 7, buckets: buckets),
        ]
        var invoiced: [InvoiceLine] = []
        for day in 1...31 {
            // Anthropic bills list less 10 %, plus 15 on the 20th for 1h cache writes; OpenAI within 1 % except the 5th.
            invoiced.append(
                invoiceLine(
                    "anthropic", "claude-sonnet-4-5-20250929", day: day, day == 20 ? 105 : 90,
                    day == 20 ? "1h cache writes" : "output"))
            if day != 9 {
                invoiced.append(
                    invoiceLine("openai", "gpt-4o-2024-08-06", day: day, day == 5 ? 18 : Decimal(string: "20.1")!))
            }
        }
        invoiced.append(invoiceLine("anthropic", nil, day: 14, Decimal(string: "12.34")!, "web_search"))
        let invoice = Invoice(file: "/tmp/inv.json", format: .anthropic, lines: invoiced, sha256: "")
        let result = try Reconciler.reconcile(
            invoices: [invoice], lines: lines, buckets: buckets, book: try book(discount: true),
            dimensions: dimensions, tolerancePercent: 1)
        XCTAssertFalse(result.rows.contains { $0.provider == "aws.bedrock" }, "no invoice names Bedrock")
        let beyond = result.differences.map {
            "\($0.provider) \($0.model) \(DateText.day($0.start)) \($0.status.rawValue)"
        }
        XCTAssertEqual(
            Set(beyond),
            [
                "anthropic claude-sonnet-4-5* 2026-10-20 over", "openai gpt-4o* 2026-10-05 under",
                "openai gpt-4o* 2026-10-09 measured_only", "anthropic  2026-10-14 invoice_only",
            ])
        let over = try XCTUnwrap(result.rows.first { $0.status == .over })
        XCTAssertEqual(over.measured, 90)
        XCTAssertEqual(over.difference, 15)
        XCTAssertEqual(over.differencePercent, Decimal(string: "16.67"))
        XCTAssertEqual(over.descriptions, ["1h cache writes"])
        XCTAssertEqual(
            result.matches.first { $0.model == "claude-sonnet-4-5*" }?.invoiceModels, ["claude-sonnet-4-5-20250929"])
        XCTAssertEqual(result.matches.first { $0.model == "claude-sonnet-4-5*" }?.measuredModels, ["claude-sonnet-4-5"])
        // Without the discount in the price book every Anthropic day is 10 % under.
        let undiscounted = try Reconciler.reconcile(
            invoices: [invoice], lines: lines, buckets: buckets,
            book: try book(discount: false), dimensions: dimensions,
            tolerancePercent: 1)
        XCTAssertEqual(undiscounted.rows.filter { $0.provider == "anthropic" && $0.status == .under }.count, 30)
    }

    func testAnInvoiceInAnotherCurrencyIsAnInputError() throws {
        let buckets = Buckets(period: try Period.parse("2026-10", in: utc))
        let line = InvoiceLine(
            record: "line 2", provider: "openai", model: "gpt-4o", start: buckets.period.start,
            end: buckets.period.end, amount: 1, currency: "EUR", description: "")
        XCTAssertThrowsError(
            try Reconciler.reconcile(
                invoices: [Invoice(file: "eur.csv", format: .focus, lines: [line], sha256: "")],
                lines: [], buckets: buckets, book: try book(discount: false),
                dimensions: dimensions, tolerancePercent: 1)
        ) { error in
            XCTAssertTrue(
                (error as? InputError)?.errorDescription?.hasPrefix("eur.csv: line 2: the invoice is in EUR") == true,
                "\(error)")
        }
    }
}
