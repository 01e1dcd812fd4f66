import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class ReportTests: XCTestCase {
    func testTheReportShowsTheAssessmentItIsGivenAndRunsNoneOfItsOwn() throws {
        let (fixture, fixtureConfig) = try ReportFixture.build()
        XCTAssertFalse(fixture.breaches.isEmpty, "the fixture's first day breaches")
        let unassessed = Assessment(
            thresholds: Thresholds(), checks: [], budgets: [], breaches: [],
            reconciliation: .none)
        let report = Report(
            toolVersion: fixture.toolVersion, generatedAt: fixture.generatedAt, period: fixture.period,
            buckets: fixture.buckets, partial: false, prometheusURL: fixture.prometheusURL,
            config: fixtureConfig, lines: fixture.lines, allocation: fixture.allocation,
            assessment: unassessed, coverage: fixture.coverage, queries: [], diagnostics: [])
        XCTAssertEqual(report.thresholdChecks, [])
        XCTAssertEqual(report.breaches, [])
        XCTAssertEqual(report.budgets, [])
        XCTAssertEqual(report.totalCost, fixture.totalCost, "the figures stay the usage's")
        XCTAssertTrue(CSVReports.thresholds(report).split(separator: "\n").count == 1, "only the header")
    }

    func testATeamViewIsThatTeamsShareWithItsOwnAssessment() throws {
        let report = try ReportFixture.make()
        let views = TeamViews.all(report)
        XCTAssertEqual(views.map(\.team), report.allocation.teamOrder)
        let research = try XCTUnwrap(views.first { $0.team == "Research" }?.report)
        XCTAssertEqual(research.assessment.thresholds, Thresholds(), "the organisation's thresholds are not the team's")
        XCTAssertEqual(research.budgets.map(\.group.name), ["Research"])
        XCTAssertEqual(research.budgets.first?.group.cost, report.allocation.cost(of: "Research"))
        XCTAssertEqual(research.budgets.first?.budget, report.budgets.first { $0.group.name == "Research" }?.budget)
        XCTAssertEqual(research.reconciliation, .none, "the dashboard comparison concerns the total")
        // The view's days are the team's share of the days.
        let teamDays = research.assessment.checks(of: .total).filter { $0.window == .day }
        let fullDays = report.assessment.checks(of: .team("Research")).filter { $0.window == .day }
        XCTAssertEqual(teamDays.count, fullDays.count)
        for (view, full) in zip(teamDays, fullDays) {
            XCTAssertEqual(Money.double(view.cost), Money.double(full.cost), accuracy: 1e-9, view.label)
        }
    }

    func testDaysAndUsageRowsAddUpToTheTotal() throws {
        let report = try ReportFixture.make()
        XCTAssertEqual(report.byDay.count, 3)
        XCTAssertEqual(report.byDay.reduce(Decimal(0)) { $0 + $1.exactCost }, report.totalCost)
        XCTAssertEqual(
            report.byDay.reduce(Decimal(0)) { $0 + $1.cost }, report.roundedTotal, "days are sums of the ledger")
        XCTAssertEqual(report.usageRows(hourly: true).reduce(Int64(0)) { $0 + $1.tokens }, report.totalTokens)
        XCTAssertEqual(
            report.byGateway.reduce(Decimal(0)) { $0 + $1.cost }, report.roundedTotal,
            "gateways in cents add up to the chargeback total")
        XCTAssertEqual(report.byTeam.map(\.name), report.allocation.teamOrder)
    }
}
