import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Label values that try to be formulas reach the workbook as text, as LibreOffice Calc reads it.
final class HostileWorkbookTests: XCTestCase {
    static let base = "chargeback-2026-10-24_2026-10-27"
    var folder: OutputFolder!

    override func setUpWithError() throws {
        folder = OutputFolder()
        try folder.write(try ReportFixture.make(.hostile))
    }

    override func tearDown() {
        folder.remove()
    }

    func testTheWorkbookHoldsTheLabelsAsText() throws {
        let sheets = try LibreOffice.sheets(
            of: folder.url.appendingPathComponent("\(Self.base).xlsx"),
            names: ["Line Items", "Teams", "Gateways", "Models"])
        let cells = Set(sheets.values.joined().joined())
        for hostile in [
            "=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(A1)", "a|b\nc", "-2+3", "=1+1", "../../etc/passwd",
        ] {
            XCTAssertTrue(cells.contains(hostile), "the workbook shows \(hostile.debugDescription) as typed")
        }
        let gateways = (sheets["Gateways"] ?? []).dropFirst().compactMap(\.first)
        let models = (sheets["Models"] ?? []).dropFirst().compactMap(\.first)
        XCTAssertTrue(
            gateways.contains("=HYPERLINK(\"http://x\",\"y\")") && !gateways.contains("y"), "no HYPERLINK ran")
        XCTAssertTrue(models.contains("=1+1") && !models.contains("2"), "no =1+1 ran")
    }
}
