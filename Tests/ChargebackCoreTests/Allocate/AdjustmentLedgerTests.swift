import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class AdjustmentLedgerTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    /// A key costing `total` spread evenly over the period's hours.
    func line(_ gateway: String, _ system: String, total: Decimal, hours: Int) -> CostLine {
        CostLine(
            key: UsageKey(gateway: gateway, model: "m", tokenType: "output", system: system),
            hourlyTokens: Array(repeating: 1000, count: hours),
            hourlyCost: Array(repeating: total / Decimal(hours), count: hours), cacheTokensExcluded: 0,
            unpriced: false)
    }

    func terms(_ yaml: String) throws -> AdjustmentTerms {
        try PriceBookParser.parse(try YAMLValue.parse("models: []\n" + yaml, file: "pricing.yaml")).adjustments
    }

    func ledger(_ terms: AdjustmentTerms, period: String = "2026-10", costs: (Decimal, Decimal) = (100, 50))
        throws -> AdjustmentLedger
    {
        let buckets = Buckets(period: try Period.parse(period, in: utc))
        let lines = [
            line("g1", "anthropic", total: costs.0, hours: buckets.hourCount),
            line("g2", "openai", total: costs.1, hours: buckets.hourCount),
        ]
        let book = TeamBook(
            teams: [Team(name: "A"), Team(name: "B"), Team(name: "Research")],
            rules: [
                TeamRule(match: ["gateway": Glob("g1")], action: .team("A"), origin: "t:1"),
                TeamRule(match: ["gateway": Glob("g2")], action: .team("B"), origin: "t:2"),
            ], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: lines, book: book, dimensions: dimensions, teamsFile: "t",
            buckets: buckets.ledgerBuckets(hourly: false))
        return Adjusting.ledger(
            lines: lines, allocation: allocation, terms: terms, buckets: buckets,
            dimensions: dimensions, bookTeams: ["A", "B", "Research"])
    }

    static let issueExample = """
        adjustments:
          discounts:
            - { match: { system: anthropic }, percent: 10, from: 2025-01-01 }
          markup: [ { percent: 5, from: 2026-01-01 } ]
          fixed:
            - { name: Platform fee, amount: 300, from: 2026-01-01, allocate: even }
          credits:
            - { name: Launch credit, amount: 50, month: 2026-10, allocate: { team: Research } }
        """

    func testDiscountMarkupFeeAndCreditLineByLineAndNet() throws {
        let ledger = try ledger(try terms(Self.issueExample))
        XCTAssertEqual(ledger.teamOrder, ["A", "B", "Research"])
        XCTAssertEqual(ledger.listCents, [100, 50, 0])
        XCTAssertEqual(ledger.lines.map(\.kind), [.discount, .markup, .fixed, .credit])
        // A: 100 list − 10 discount + 5 % of 90 + a third of 300; B: 50 + 2.50 + 100; Research: 100 − 50.
        XCTAssertEqual(
            ledger.lines.map(\.teamCents),
            [
                [-10, 0, 0], [Decimal(string: "4.5")!, Decimal(string: "2.5")!, 0],
                [100, 100, 100], [0, 0, -50],
            ])
        XCTAssertEqual(ledger.netCents, [Decimal(string: "194.5")!, Decimal(string: "152.5")!, 50])
        XCTAssertEqual(ledger.totalNet, Decimal(string: "397")!)
        XCTAssertEqual(ledger.lines.map(\.cents), [-10, 7, 300, -50])
    }

    func testTermsStartingMidPeriodApplyOnlyFromThenAndFeesProrateByTime() throws {
        let ledger = try ledger(
            try terms(
                """
                adjustments:
                  discounts: [ { percent: 20, from: 2026-10-17 } ]
                  fixed: [ { name: Support, amount: 310, from: 2026-10-21, allocate: { weights: { A: 3, B: 1 } } } ]
                  credits: [ { name: Old credit, amount: 99, month: 2026-09 } ]
                """))
        // 15 of 31 days discounted: 20 % of (150 × 15/31) = 14.516… → 14.52, split 9.68 / 4.84.
        XCTAssertEqual(ledger.lines.first?.cents, Decimal(string: "-14.52"))
        XCTAssertEqual(ledger.lines.first?.teamCents, [Decimal(string: "-9.68")!, Decimal(string: "-4.84")!, 0])
        // 11 of 31 days of 310 = 110, weighted 3 : 1; September's credit does not touch October.
        XCTAssertEqual(ledger.lines.count, 2)
        XCTAssertEqual(ledger.lines[1].teamCents, [Decimal(string: "82.5")!, Decimal(string: "27.5")!, 0])
    }

    func testNoTermsMeanNetIsList() throws {
        let ledger = try ledger(AdjustmentTerms())
        XCTAssertTrue(ledger.lines.isEmpty)
        XCTAssertEqual(ledger.netCents, ledger.listCents)
    }

    func testCentsAddUpAndKeepTheirSignOverManyRandomSets() throws {
        var random = SeededRandom(state: 12)
        for round in 0..<300 {
            let percent = Decimal(random.int(1...9999)) / 100
            let fee = Decimal(random.int(1...10_000_000)) / 100
            let spread = ["even", "proportional", "{ team: B }", "{ weights: { A: 1, Research: 7 } }"][
                random.int(0...3)]
            let yaml = """
                adjustments:
                  discounts: [ { match: { system: "anthr*" }, percent: \(percent), from: 2026-10-0\(random.int(1...9)) } ]
                  markup: [ { percent: \(random.int(1...30)), from: 2026-10-1\(random.int(0...9)) } ]
                  fixed: [ { name: Fee, amount: \(fee), from: 2026-10-0\(random.int(1...9)), allocate: \(spread) } ]
                  credits: [ { name: Credit, amount: \(fee / 3), month: 2026-10 } ]
                """
            let costs = (Decimal(random.int(0...90_000_000)) / 1000, Decimal(random.int(0...90_000_000)) / 7)
            let ledger = try ledger(try terms(yaml), costs: costs)
            for line in ledger.lines {
                XCTAssertEqual(line.teamCents.reduce(0, +), line.cents, "round \(round) \(line.name)")
                XCTAssertLessThanOrEqual(abs(Money.double(line.cents - line.exact)), 0.005, "round \(round)")
                switch line.kind {
                case .discount, .credit: XCTAssertTrue(line.teamCents.allSatisfy { $0 <= 0 }, "round \(round)")
                case .markup, .fixed: XCTAssertTrue(line.teamCents.allSatisfy { $0 >= 0 }, "round \(round)")
                }
                if line.kind == .credit {
                    // Proportional: a team that used nothing gets no credit (unless nobody used anything).
                    for (team, list) in ledger.listCents.enumerated() where list == 0 && ledger.totalList > 0 {
                        XCTAssertEqual(line.teamCents[team], 0, "round \(round)")
                    }
                }
            }
            XCTAssertEqual(
                ledger.totalNet, ledger.totalList + ledger.lines.reduce(0) { $0 + $1.cents }, "round \(round)")
        }
    }

    func testBadAdjustmentsNameFileAndLine() throws {
        for (yaml, expected) in [
            ("adjustments:\n  discounts: [ { percent: 120, from: 2026-01-01 } ]\n", "cannot pass 100"),
            ("adjustments:\n  credits: [ { name: C, amount: -5, month: 2026-10 } ]\n", "positive amount"),
            ("adjustments:\n  credits: [ { name: C, amount: 5, month: 2026-13 } ]\n", "a month like 2026-10"),
            ("adjustments:\n  fixed: [ { name: F, amount: 5, from: 2026-02-01, to: 2026-01-01 } ]\n", "after 'from'"),
            ("adjustments:\n  fixed: [ { name: F, amount: 5, from: 2026-01-01, allocate: some } ]\n", "one of"),
            ("adjustments:\n  rebates: []\n", "unknown key 'rebates'"),
        ] {
            XCTAssertThrowsError(try terms(yaml), yaml) { error in
                let message = (error as? InputError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.contains(expected) && message.hasPrefix("pricing.yaml:"), message)
            }
        }
    }
}

extension AdjustmentLedgerTests {
    func testSplitsOfMixedSignsStillAddUp() {
        let parts = Adjusting.split([Decimal(string: "10.004")!, Decimal(string: "-3.337")!, Decimal(string: "0.333")!])
        XCTAssertEqual(parts.reduce(0, +), Money.round(Decimal(string: "7.0")!))
        XCTAssertEqual(
            parts, [Decimal(string: "10.01")!, Decimal(string: "-3.34")!, Decimal(string: "0.33")!],
            "the largest part takes the cent")
    }
}
