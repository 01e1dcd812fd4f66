import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The libxlsxwriter wrapper turns misuse into errors, not crashes.
final class XLSXWriterTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-xlsx-writer")
    private var folder: URL { temporary.url }

    override func tearDown() { temporary.remove() }

    func testWritingAboveTheCurrentRowInConstantMemoryIsAnErrorNotACrash() throws {
        let workbook = try XLSXWorkbook(path: folder.appendingPathComponent("order.xlsx").path, constantMemory: true)
        let sheet = try workbook.addSheet("x")
        try sheet.text(5, 0, "later")
        XCTAssertThrowsError(try sheet.text(2, 0, "earlier")) { error in
            XCTAssertTrue(error is XLSXError, "\(error)")
        }
        XCTAssertThrowsError(try workbook.addSheet("bad/name"))
    }

    func testNaNAndInfinityAreRefused() throws {
        let workbook = try XLSXWorkbook(path: folder.appendingPathComponent("nan.xlsx").path)
        let sheet = try workbook.addSheet("x")
        XCTAssertThrowsError(try sheet.number(0, 0, Double.nan))
        XCTAssertThrowsError(try sheet.formula(0, 0, "=1/0", value: .infinity))
    }
}
