import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The sections that look past the period, byte for byte: What changed (Markdown) and changes.csv.
final class ChangeGoldenTests: XCTestCase {
    func testMarkdownWithWhatChanged() throws {
        let report = try ChangeFixture.make()
        let text = try MarkdownRenderer().render(report, reproduce: ReportFixture.reproduce)
        for section in ["## What changed", "## Forecast", "## Trend", "## Cost per system"] {
            XCTAssertTrue(text.contains(section), section)
        }
        XCTAssertTrue(text.contains(ForecastBacktest.sentence), "the backtest error in the method")
        try Golden.assertMatches(text, "report-changes.md")
    }

    /// A team's pack: What changed, the forecast and the trend of the team's share only.
    func testTeamMarkdownWithWhatChanged() throws {
        let report = try ChangeFixture.make()
        let team = try XCTUnwrap(report.allocation.teamOrder.first)
        let text = try MarkdownRenderer().render(
            TeamViews.view(of: report, team: team), reproduce: ReportFixture.reproduce, team: team)
        for section in ["## What changed", "## Forecast", "## Trend"] {
            XCTAssertTrue(text.contains(section), section)
        }
        try Golden.assertMatches(text, "team-\(team)-changes.md")
    }

    func testChangesCSV() throws {
        let comparison = try XCTUnwrap(try ChangeFixture.make().comparison)
        let text = CSVReports.changes(comparison)
        XCTAssertEqual(
            text.split(separator: "\n").first,
            "scope,name,cost,previous_cost,change,change_pct,volume_effect,price_effect,mix_effect")
        try Golden.assertMatches(text, "changes.csv")
    }

    func testTrendCSV() throws {
        let trend = try XCTUnwrap(try ChangeFixture.make().trend)
        let text = CSVReports.trend(trend)
        XCTAssertEqual(text.split(separator: "\n").first, "period,team,cost,tokens")
        // The report's own period is last, and its rows are the teams' cents.
        let report = try ChangeFixture.make()
        for team in report.byTeam {
            XCTAssertTrue(
                text.contains("\n\(report.period.label),\(team.name),\(DecimalText.cents(team.cost)),"), team.name)
        }
        try Golden.assertMatches(text, "trend.csv")
    }

    /// The workbook's Changes sheet holds every row of changes.csv, with effects that add up to the
    /// change; the Trend sheet one row per period, the report's own last with its total.
    func testWorkbookHasTheChangesAndTrendSheets() throws {
        let folder = TemporaryFolder("cb-changes")
        defer { try? FileManager.default.removeItem(at: folder.url) }
        let report = try ChangeFixture.make()
        let path = folder.file("changes.xlsx")
        try WorkbookRenderer.write(report, to: path.path)
        let sheets = try WorkbookCells.sheets(of: path)
        let changes = try XCTUnwrap(sheets["Changes"])
        let rows = changes.filter { ["total", "team", "gateway", "model"].contains($0.first ?? "") }
        XCTAssertEqual(rows.count, report.comparison?.rows.count)
        for row in rows {
            let number = { (column: Int) in Double(row[column]) ?? .nan }
            XCTAssertEqual(number(6) + number(7) + number(8), number(4), accuracy: 0.000_1, "\(row)")
        }
        let trend = try XCTUnwrap(sheets["Trend"])
        XCTAssertEqual(trend.count, 1 + (report.trend?.points.count ?? 0))
        let total = try XCTUnwrap(trend.last?[report.trend!.teams.count + 1])
        XCTAssertEqual(Double(total) ?? .nan, Money.double(report.roundedTotal), accuracy: 0.000_1)
        XCTAssertTrue(trend[1].last?.hasPrefix("No data") == true, "\(trend[1])")
    }

    func testForecastAndLabelCSVs() throws {
        let report = try ChangeFixture.make()
        try Golden.assertMatches(
            CSVReports.forecast(try XCTUnwrap(report.forecast), zone: report.period.timeZone),
            "forecast.csv")
        let system = try XCTUnwrap(report.byLabels.first)
        XCTAssertEqual(system.groups.reduce(Decimal(0)) { $0 + $1.cost }, report.roundedTotal)
        try Golden.assertMatches(CSVReports.byLabel(system), "by-system.csv")
    }

    /// With no comparison the section is absent; with a previous period before the data it says so.
    func testNoComparisonAndNoPreviousData() throws {
        var report = try ReportFixture.make()
        XCTAssertFalse(try MarkdownRenderer().render(report, reproduce: "").contains("What changed"))
        report = report.with(
            comparison: Comparison(
                previous: report.period.previous, rows: [],
                unavailable: "the previous period has no data; nothing to compare with"))
        let text = try MarkdownRenderer().render(report, reproduce: "")
        XCTAssertTrue(
            text.contains("> **No comparison**: the previous period has no data; nothing to compare with."), text)
        XCTAssertFalse(text.contains("| Scope | Name |"))
        XCTAssertEqual(
            CSVReports.changes(report.comparison!),
            "scope,name,cost,previous_cost,change,change_pct,volume_effect,price_effect,mix_effect\n")
    }
}
