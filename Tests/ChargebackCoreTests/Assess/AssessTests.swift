import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The Assess stage on hand-made usage: three UTC days, 2026-10-04 (a Sunday, the end of ISO week
/// 40) to 2026-10-07, one line whose cost per hour is given, split between two teams.
final class AssessTests: XCTestCase {
    private let utc = TimeZone(identifier: "UTC")!

    private func usage(hourly: (Int) -> Decimal, searchShare: Decimal = 1) throws
        -> (period: Period, buckets: Buckets, lines: [CostLine], allocation: Allocation)
    {
        let period = try Period.range(from: "2026-10-04", to: "2026-10-07", in: utc)
        let buckets = Buckets(period: period)
        let key = UsageKey(gateway: "gw", model: "m", tokenType: "output", system: "openai")
        let cost = (0..<buckets.hourCount).map(hourly)
        let line = CostLine(
            key: key, hourlyTokens: cost.map { _ in 1 }, hourlyCost: cost, cacheTokensExcluded: 0,
            unpriced: false)
        let action: RuleAction =
            searchShare == 1
            ? .team("Search")
            : .split([("Search", searchShare * 100), ("Research", (1 - searchShare) * 100)])
        let book = TeamBook(
            teams: [Team(name: "Search"), Team(name: "Research")],
            rules: [TeamRule(match: [:], action: action, origin: "teams.yaml:3")], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: [line], book: book,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "teams.yaml", buckets: buckets.ledgerBuckets(hourly: false))
        return (period, buckets, [line], allocation)
    }

    func testTheStatusRuleIsOkWarningFromEightyPercentExceededFromTheLimit() {
        let cases: [(cost: String, threshold: Decimal?, status: ThresholdCheck.Status)] = [
            ("100.01", 100, .exceeded), ("100", 100, .exceeded), ("99.99", 100, .warning), ("80", 100, .warning),
            ("79.99", 100, .ok),
            ("1000", nil, .ok), ("0", 100, .ok),
        ]
        for (cost, threshold, status) in cases {
            let check = ThresholdCheck(
                scope: .total, window: .day, label: "", start: Date(), end: Date(),
                cost: Decimal(string: cost)!, threshold: threshold, partial: false)
            XCTAssertEqual(check.status, status, "\(cost) against \(threshold.map { "\($0)" } ?? "none")")
        }
    }

    func testCalendarWindowsAreNamedAndCutByThePeriod() throws {
        // $1 an hour: $24 a day, $72 the period.
        let input = try usage(hourly: { _ in 1 })
        let assessment = Assess.assess(
            lines: input.lines, allocation: input.allocation, buckets: input.buckets,
            period: input.period,
            thresholds: Thresholds(
                daily: 20, weekly: 60,
                monthly: 500), teams: [])
        let total = assessment.checks(of: .total)
        let days = total.filter { $0.window == .day }
        XCTAssertEqual(days.map(\.label), ["2026-10-04", "2026-10-05", "2026-10-06"])
        XCTAssertEqual(days.map(\.cost), [24, 24, 24])
        XCTAssertEqual(days.map(\.status), [.exceeded, .exceeded, .exceeded])
        let weeks = total.filter { $0.window == .week }
        XCTAssertEqual(weeks.map(\.label), ["2026-W40", "2026-W41"])
        XCTAssertEqual(weeks.map(\.cost), [24, 48], "each week counts only its days inside the period")
        XCTAssertEqual(weeks.map(\.partial), [true, true])
        XCTAssertEqual(weeks.map(\.status), [.ok, .warning], "48 is 80 % of 60")
        let months = total.filter { $0.window == .month }
        XCTAssertEqual(months.map(\.label), ["2026-10"])
        XCTAssertEqual(months.first?.cost, 72)
        XCTAssertEqual(Set(total.map(\.window)), [.day, .week, .month, .rolling24h, .rolling7d, .hourProjection])
    }

    func testRollingPeaksAndHotHoursFindTheSpike() throws {
        // $1 an hour, but $30 in hour 30 (2026-10-05 06:00Z).
        let input = try usage(hourly: { $0 == 30 ? 30 : 1 })
        let assessment = Assess.assess(
            lines: input.lines, allocation: input.allocation, buckets: input.buckets,
            period: input.period, thresholds: Thresholds(daily: 100), teams: [])
        let peak = try XCTUnwrap(assessment.checks(of: .total).first { $0.window == .rolling24h })
        XCTAssertEqual(peak.cost, 53, "23 ordinary hours and the spike")
        let hot = assessment.checks(of: .total).filter { $0.window == .hourProjection }
        XCTAssertEqual(hot.map(\.start), [input.buckets.hourStart(30)], "only the spike's pace (720 a day) passes 100")
        XCTAssertEqual(hot.first?.cost, 720)
        XCTAssertTrue(assessment.breaches.isEmpty, "a hot hour alone is not a breach: no day passes $100")
    }

    func testTeamsAreCheckedPerMonthAgainstTheirBudgetOnly() throws {
        let input = try usage(hourly: { _ in 1 }, searchShare: Decimal(string: "0.75")!)
        let teams = [Team(name: "Search", monthlyBudget: 62), Team(name: "Research")]
        let assessment = Assess.assess(
            lines: input.lines, allocation: input.allocation, buckets: input.buckets,
            period: input.period, thresholds: Thresholds(daily: 1000), teams: teams)
        let search = assessment.checks(of: .team("Search"))
        XCTAssertEqual(Set(search.map(\.window)), [.day, .week, .month], "teams get no rolling peaks or hot hours")
        XCTAssertEqual(search.first { $0.window == .month }?.threshold, 62)
        XCTAssertEqual(search.filter { $0.window == .day }.map(\.cost), [18, 18, 18], "75 % of each day")
        XCTAssertTrue(assessment.checks(of: .team("Research")).allSatisfy { $0.threshold == nil })
        // Budgets scale to the period: 3 of October's 31 days of $62 is $6, and Search spent $54.
        let budget = try XCTUnwrap(assessment.budgets.first { $0.group.name == "Search" })
        XCTAssertEqual(budget.budget, 6)
        XCTAssertEqual(budget.status, .exceeded)
        XCTAssertEqual(assessment.budgets.map(\.group.name), ["Search", "Research"])
        XCTAssertEqual(assessment.breaches, [.budget(budget)])
    }

    /// With adjustments a team's budget is compared with its net: Search's $54 of list cost is over
    /// its $6 budget, but its $5.40 net after a credit is not; the allocated cost stays $54.
    func testBudgetsCompareTheNetAfterAdjustments() throws {
        let input = try usage(hourly: { _ in 1 }, searchShare: Decimal(string: "0.75")!)
        let teams = [Team(name: "Search", monthlyBudget: 62), Team(name: "Research")]
        func budget(net: [String: Decimal]?) -> BudgetStatus? {
            Assess.assess(
                lines: input.lines, allocation: input.allocation, buckets: input.buckets, period: input.period,
                thresholds: Thresholds(), teams: teams, net: net
            ).budgets.first { $0.group.name == "Search" }
        }
        let under = try XCTUnwrap(budget(net: ["Search": Decimal(string: "5.40")!, "Research": 18]))
        XCTAssertEqual(under.group.cost, 54)
        XCTAssertEqual(under.charged, Decimal(string: "5.40"))
        XCTAssertEqual(under.usedPercent, 90)
        XCTAssertEqual(under.status, .warning)
        let over = try XCTUnwrap(budget(net: ["Search": Decimal(string: "6.50")!]))
        XCTAssertEqual(over.status, .exceeded)
        XCTAssertEqual(
            Breach.budget(over).sentence(in: utc, currency: .usd), "Search: $6.50 net is over its budget of $6.00")
        XCTAssertEqual(budget(net: nil)?.charged, 54, "no adjustments: the allocated cost")
    }

    func testBreachesAreTheTotalsExceededCalendarWindowsThenBudgets() throws {
        let input = try usage(hourly: { $0 < 24 ? 3 : 0 })
        let assessment = Assess.assess(
            lines: input.lines, allocation: input.allocation, buckets: input.buckets,
            period: input.period, thresholds: Thresholds(daily: 50, weekly: 70),
            teams: [Team(name: "Search", monthlyBudget: 31)])
        XCTAssertEqual(assessment.breaches.count, 3, "\(assessment.breaches)")
        let sentences = assessment.breaches.map { $0.sentence(in: utc, currency: .usd) }
        XCTAssertEqual(sentences[0], "2026-10-04: $72.00 is over the daily $50.00")
        XCTAssertEqual(
            sentences[1],
            "2026-W40 (2026-10-04, 1 of its 7 days): $72.00 is over the weekly $70.00")
        XCTAssertEqual(sentences[2], "Search: $72.00 is over its budget of $3.00")
    }

    func testTheReconciliationSetsOurFiguresBesideTheDashboards() throws {
        let input = try usage(hourly: { _ in 1 })
        let measured = MeasuredUsage(
            tokens: [:], coverage: Coverage(), gatewayCostNanos: ["gw": [70_000_000_000, 2_500_000_000]],
            dashboardIncrease: [DashboardFigure(gateway: "gw", tokenType: "output", tokens: 80)],
            queries: [], diagnostics: [])
        let reconciliation = Reconciliation.of(measured, lines: input.lines)
        XCTAssertEqual(reconciliation.dashboard.first?.exact, 72)
        XCTAssertEqual(try XCTUnwrap(reconciliation.dashboard.first?.relativeDifference), 8.0 / 72, accuracy: 1e-12)
        XCTAssertEqual(reconciliation.gatewayCost.first?.difference, Decimal(string: "0.5"))
    }
}
