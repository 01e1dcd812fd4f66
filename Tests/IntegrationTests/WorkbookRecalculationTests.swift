import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The workbook as LibreOffice Calc sees it after recalculating every formula.
final class WorkbookRecalculationTests: XCTestCase {
    static let sheetNames = ["Summary", "Teams", "Gateways", "Models", "Daily", "Line Items", "Thresholds", "About"]
    private let temporary = TemporaryFolder("cb-xlsx")
    private var folder: URL { temporary.url }

    override func tearDown() { temporary.remove() }

    /// The harness must really recalculate: a formula cached with a wrong value shows the right one.
    func testLibreOfficeRecalculatesInsteadOfTrustingCachedValues() throws {
        let url = folder.appendingPathComponent("recalc.xlsx")
        let workbook = try XLSXWorkbook(path: url.path, constantMemory: true)
        let sheet = try workbook.addSheet("Check")
        try sheet.number(0, 0, 2.0)
        try sheet.formula(0, 1, "=A1+1", value: 99)
        try workbook.close()
        let rows = try XCTUnwrap(LibreOffice.sheets(of: url, names: ["Check"])["Check"])
        XCTAssertEqual(rows.first, ["2", "3"])
    }

    func testTotalsRecalculatedByLibreOfficeMatchTheReport() throws {
        let report = try ReportFixture.make()
        let url = folder.appendingPathComponent("report.xlsx")
        try WorkbookRenderer.write(report, to: url.path, options: WorkbookOptions(reproduce: ReportFixture.reproduce))
        let sheets = try LibreOffice.sheets(of: url, names: Self.sheetNames)
        func total(_ sheet: String, column: String, label: String = "Total") throws -> Double {
            let rows = try XCTUnwrap(sheets[sheet], sheet)
            let header = try XCTUnwrap(rows.first)
            let index = try XCTUnwrap(header.firstIndex(of: column), "\(sheet) has no column \(column): \(header)")
            let row = try XCTUnwrap(rows.first { $0.first == label }, "\(sheet) has no \(label) row")
            return try XCTUnwrap(Double(row[index]), "\(sheet) \(label) \(column): \(row[index])")
        }
        let cents = Money.double(report.allocation.roundedTotal)
        let exact = Money.double(report.totalCost)
        let tokens = Double(report.totalTokens)
        let billable = Double(report.billableTokens)
        XCTAssertLessThan(billable, tokens, "the fixture's OpenAI input holds cache reads")
        XCTAssertEqual(try total("Teams", column: "Cost (USD)"), cents, accuracy: 1e-9)
        XCTAssertEqual(try total("Teams", column: "Billable tokens"), billable)
        XCTAssertEqual(try total("Gateways", column: "Cost (USD)"), cents, accuracy: 1e-9)
        XCTAssertEqual(try total("Models", column: "Billable tokens"), billable)
        XCTAssertEqual(try total("Daily", column: "Cost (USD)"), cents, accuracy: 1e-9)
        XCTAssertEqual(try total("Daily", column: "Billable tokens"), billable)
        XCTAssertEqual(try total("Line Items", column: "Cost (USD)"), cents, accuracy: 1e-9)
        XCTAssertEqual(try total("Line Items", column: "Tokens"), tokens)
        XCTAssertEqual(try total("Line Items", column: "Billable tokens"), billable)
        let summary = try XCTUnwrap(sheets["Summary"])
        func figure(_ label: String) throws -> Double {
            let row = try XCTUnwrap(summary.first { $0.first == label }, "Summary has no \(label)")
            return try XCTUnwrap(Double(row[1]), "\(label): \(row[1])")
        }
        XCTAssertEqual(try figure("Total cost (USD)"), cents, accuracy: 1e-9)
        XCTAssertEqual(try figure("Exact cost before rounding"), exact, accuracy: 1e-9)
        XCTAssertEqual(try figure("Billable tokens"), billable)
        // Each week's formula adds its days up; the first day is over the daily threshold.
        let thresholds = try XCTUnwrap(sheets["Thresholds"])
        let weeks = thresholds.filter { $0.count > 1 && $0[1].hasPrefix("week") }
        XCTAssertEqual(weeks.count, 2, "2026-W43 (Sat, Sun) and 2026-W44 (Mon)")
        let weekSum = weeks.reduce(0.0) { $0 + (Double($1[4]) ?? .nan) }
        XCTAssertEqual(weekSum, cents, accuracy: 1e-9)
        let days = thresholds.filter { $0.count > 1 && $0[1] == "day" }
        XCTAssertEqual(
            days.map { $0[6] },
            report.thresholdChecks.filter { $0.scope == .total && $0.window == .day }
                .map(\.status.rawValue))
        XCTAssertTrue(days.first?[6] == "exceeded", "the fixture's first day breaches")
        XCTAssertEqual(summary.first?.first, "AI gateway chargeback 2026-10-24_2026-10-27")
        XCTAssertTrue((sheets["About"] ?? []).contains { $0.first == "How it was computed" })
    }

    /// With adjustments the Teams sheet's "Budget used" divides the Net column: LibreOffice's
    /// recalculated shares equal the report's, which compare each team's net with its budget.
    func testBudgetUseOfTheNetRecalculates() throws {
        let (fixture, fixtureConfig) = try ReportFixture.build()
        let terms = try FuzzEntryPoints.parsePriceBook(
            Array(
                "models: []\nadjustments:\n  credits: [ { name: Credit, amount: 900, month: 2026-10, allocate: even } ]\n"
                    .utf8)
        ).adjustments
        let ledger = Adjusting.ledger(
            lines: fixture.lines, allocation: fixture.allocation, terms: terms, buckets: fixture.buckets,
            dimensions: fixtureConfig.dimensions, bookTeams: fixtureConfig.teams.teams.map(\.name))
        let report = Report(
            toolVersion: fixture.toolVersion, generatedAt: fixture.generatedAt, period: fixture.period,
            buckets: fixture.buckets, partial: false, prometheusURL: fixture.prometheusURL, config: fixtureConfig,
            lines: fixture.lines, allocation: fixture.allocation,
            assessment: Assess.assess(
                lines: fixture.lines, allocation: fixture.allocation, buckets: fixture.buckets,
                period: fixture.period, thresholds: fixtureConfig.thresholds, teams: fixtureConfig.teams.teams,
                net: ledger.netByTeam),
            coverage: fixture.coverage, queries: [], diagnostics: [], adjustments: ledger)
        let budgeted = report.budgets.filter { $0.budget != nil }
        XCTAssertFalse(budgeted.isEmpty)
        XCTAssertTrue(budgeted.allSatisfy { $0.charged < $0.group.cost }, "the credit lowers every budgeted team's net")
        let url = folder.appendingPathComponent("adjusted.xlsx")
        try WorkbookRenderer.write(report, to: url.path)
        let rows = try XCTUnwrap(LibreOffice.sheets(of: url, names: ["Teams"])["Teams"])
        XCTAssertEqual(rows.first?[12], "Net (USD)")
        for status in budgeted {
            let row = try XCTUnwrap(rows.first { $0.first == status.group.name }, status.group.name)
            XCTAssertEqual(try XCTUnwrap(Double(row[12])), Money.double(status.charged), accuracy: 1e-9)
            XCTAssertEqual(
                try XCTUnwrap(Double(row[10].replacingOccurrences(of: "%", with: "")), row[10]),
                Money.double(status.usedPercent!), accuracy: 1e-9, status.group.name)
        }
    }

    /// Renders the workbook and a team's to PDF as a person would print them. With
    /// `CHARGEBACK_RENDER_DIR=/some/folder` the workbooks and PDFs are kept there to look at.
    func testTheWorkbookPrintsToPDF() throws {
        let keep = ProcessInfo.processInfo.environment["CHARGEBACK_RENDER_DIR"].map { URL(fileURLWithPath: $0) }
        let target = keep ?? folder
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let report = try ReportFixture.make()
        let books = [
            ("report.xlsx", report, WorkbookOptions(reproduce: ReportFixture.reproduce)),
            (
                "team-Research.xlsx", TeamViews.view(of: report, team: "Research"),
                WorkbookOptions(reproduce: ReportFixture.reproduce, team: "Research")
            ),
        ]
        for (name, report, options) in books {
            let url = target.appendingPathComponent(name)
            try WorkbookRenderer.write(report, to: url.path, options: options)
            let pdf = try Data(contentsOf: LibreOffice.pdf(of: url, into: target))
            XCTAssertTrue(pdf.starts(with: Data("%PDF".utf8)), name)
            XCTAssertGreaterThan(pdf.count, 20_000, "\(name): a PDF with charts and eight sheets")
        }
    }

    func testLineItemsPerHour() throws {
        let report = try ReportFixture.make(hourly: true)
        let url = folder.appendingPathComponent("hourly.xlsx")
        try WorkbookRenderer.write(report, to: url.path, options: WorkbookOptions(hourly: true))
        let rows = try XCTUnwrap(LibreOffice.sheets(of: url, names: ["Line Items"])["Line Items"])
        XCTAssertEqual(rows.first?.first, "Hour")
        XCTAssertEqual(rows.count, report.usageRows(hourly: true).count + 2, "header, rows, total")
    }
}
