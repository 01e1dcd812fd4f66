import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// What a person saw on the workbook's pages printed by LibreOffice, pinned from the sheet XML:
/// wrapped text has rows tall enough for it, status words sit centred in their own column, rows
/// of an hour show the hour, and the team chart carries the budgets.
final class WorkbookLayoutTests: XCTestCase {
    static let sheetNames = ["Summary", "Teams", "Gateways", "Models", "Daily", "Line Items", "Thresholds", "About"]
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The fixture's workbook (with the sample world's gateway names), or with `gateway` as its first gateway.
    func workbook(gateway: String? = nil) throws -> XLSXParts {
        var labels = ReportFixture.Labels()
        if let gateway { labels.gateways[0] = gateway }
        let url = folder.appendingPathComponent("report-\(UUID().uuidString).xlsx")
        try WorkbookRenderer.write(
            try ReportFixture.make(labels), to: url.path,
            options: WorkbookOptions(reproduce: ReportFixture.reproduce))
        return try XLSXParts(url)
    }

    static let longGateway = "kgateway-system/agentgateway-production-eu-west-1"

    /// A wrapped cell needs at least one line per `\n` and one per 1.1 column widths of characters
    /// (LibreOffice's pages fit about that much prose in a line, and one width of bold text: the
    /// 35-character "kgateway-system/agentgateway1 input" took two lines in a 34-wide column); its row
    /// must be at least that many 15-point lines tall (the overprinted About rows had no height set).
    func testEveryWrappedCellsRowIsTallEnoughForItsLines() throws {
        for gateway in [nil, Self.longGateway] { try assertWrappedRowsAreTallEnough(try workbook(gateway: gateway)) }
    }

    private func assertWrappedRowsAreTallEnough(_ book: XLSXParts) throws {
        let styles = try book.styles()
        var checked = 0
        for sheet in Self.sheetNames {
            let heights = try book.rowHeights(sheet)
            let widths = try book.columnWidths(sheet)
            for cell in try book.cells(sheet) where styles[cell.style].wraps {
                let width = max(1, Int((widths[cell.column] ?? 8.43) * (styles[cell.style].bold ? 1 : 1.1)))
                let lines = cell.text.split(separator: "\n", omittingEmptySubsequences: false)
                    .reduce(0) { $0 + max(1, ($1.count + width - 1) / width) }
                guard lines > 1 else { continue }
                checked += 1
                let height = heights[cell.row] ?? 15
                XCTAssertGreaterThanOrEqual(
                    height, 15 * Double(lines),
                    "\(sheet)!\(XLSXSheet.cellName(cell.row, cell.column)) needs \(lines) lines "
                        + "in \(width) characters: '\(cell.text.prefix(60))…'")
            }
        }
        XCTAssertGreaterThan(checked, 3, "the About sheet wraps its method, reproduce line and file hashes")
    }

    /// Status words were printed flush against the right-aligned figure beside them ("114.7%exceeded").
    func testStatusWordsAreCentredInTheirOwnColumn() throws {
        let book = try workbook()
        let styles = try book.styles()
        for (sheet, title) in [("Teams", "Status"), ("Daily", "Status"), ("Thresholds", "Status")] {
            let cells = try book.cells(sheet)
            let header = try XCTUnwrap(
                cells.first { $0.row == 0 && $0.text == title }, "\(sheet) has a \(title) column")
            let statuses = cells.filter { $0.column == header.column && $0.row > 0 && !$0.text.isEmpty }
            XCTAssertFalse(statuses.isEmpty, sheet)
            for cell in statuses {
                XCTAssertTrue(cell.isString, "\(sheet) status is text")
                XCTAssertTrue(
                    ["ok", "warning", "exceeded", "over"].contains(cell.text),
                    "\(sheet): '\(cell.text)' is a bare status")
                XCTAssertEqual(
                    styles[cell.style].horizontal, "center", "\(sheet)!\(XLSXSheet.cellName(cell.row, cell.column))")
            }
            let before = cells.filter { $0.column == header.column - 1 && $0.row > 0 && $0.row <= statuses.count }
            XCTAssertTrue(before.allSatisfy { !$0.isString || $0.text.isEmpty }, "\(sheet): a figure stands beside it")
        }
    }

    /// Hot hours and rolling peaks start inside a day: a date-only format showed `2026-10-24 → 2026-10-24`.
    func testRowsOfAnHourCarryATimeFormat() throws {
        let book = try workbook()
        let styles = try book.styles()
        let cells = try book.cells("Thresholds")
        let windows = Dictionary(
            cells.filter { $0.column == 1 && $0.row > 0 }.map { ($0.row, $0.text) },
            uniquingKeysWith: { first, _ in first })
        var hourly = 0
        var daily = 0
        for cell in cells where (cell.column == 2 || cell.column == 3) && cell.row > 0 {
            let window = windows[cell.row] ?? ""
            let format = styles[cell.style].numberFormat
            if window.hasPrefix("peak rolling") || window == "hour × 24" {
                hourly += 1
                XCTAssertTrue(format.contains("hh:mm"), "\(window) row \(cell.row + 1): \(format)")
            } else if window == "day" {
                daily += 1
                XCTAssertFalse(format.contains("hh"), "a day row shows its date only: \(format)")
            }
        }
        XCTAssertGreaterThanOrEqual(hourly, 4, "two peaks (24 h, 7 d) at least, start and end each")
        XCTAssertGreaterThan(daily, 0)
    }

    /// A date column narrower than its format prints `###` (the hour rows' Start column did), and a
    /// right-aligned date ran into the gateway name beside it on Line Items: dates are centred.
    func testEveryDateColumnIsWideEnoughForItsFormat() throws {
        let book = try workbook()
        let styles = try book.styles()
        var checked = 0
        for sheet in Self.sheetNames {
            let widths = try book.columnWidths(sheet)
            for cell in try book.cells(sheet) where !cell.isString && styles[cell.style].numberFormat.hasPrefix("yyyy")
            {
                checked += 1
                let format = styles[cell.style].numberFormat
                XCTAssertGreaterThanOrEqual(
                    widths[cell.column] ?? 8.43, Double(format.count),
                    "\(sheet)!\(XLSXSheet.cellName(cell.row, cell.column)) in \(format)")
                XCTAssertEqual(
                    styles[cell.style].horizontal, "center", "\(sheet)!\(XLSXSheet.cellName(cell.row, cell.column))")
            }
        }
        XCTAssertGreaterThan(checked, 10)
    }

    /// The team chart draws each team's budget from the Teams sheet's budget column beside its cost.
    func testTheTeamChartCarriesTheBudgets() throws {
        let book = try workbook()
        let charts = try (1...2).map { try book.part("xl/charts/chart\($0).xml") }
        let team = try XCTUnwrap(charts.first { $0.contains("Cost per team") })
        XCTAssertTrue(team.contains("Budget (USD)"), "a budget series")
        XCTAssertTrue(team.contains("Teams!$J$2:$J$"), "budgets come from the Teams sheet's budget column")
        XCTAssertTrue(team.contains("<c:overlap val=\"100\"/>"), "the budget outline sits over the cost column")
    }
}

extension WorkbookLayoutTests {
    /// Every sheet prints one page wide, the optional ones too (the Changes sheet printed across
    /// pages): a report with a comparison, a forecast, a trend and adjustments has them all.
    func testEverySheetPrintsOnePageWide() throws {
        let url = folder.appendingPathComponent("changes.xlsx")
        try WorkbookRenderer.write(
            try ChangeFixture.make(), to: url.path, options: WorkbookOptions(reproduce: ReportFixture.reproduce))
        let parts = try XLSXParts(url)
        let names = XLSXParts.elements("sheet", in: try parts.part("xl/workbook.xml")).compactMap { $0["name"] }
        XCTAssertTrue(names.contains("Changes"), "\(names)")
        for name in names {
            let xml = try parts.sheetXML(name)
            XCTAssertTrue(xml.contains("fitToPage=\"1\""), "\(name) is not fitted to the page width")
        }
    }
}
