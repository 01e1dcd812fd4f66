import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class CSVTableTests: XCTestCase {
    func testHostileTextIsNeutralisedAndQuoted() {
        var table = CSVTable(header: ["name", "n"])
        for text in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a|b\nc", "plain", "a,b"] {
            table.append([.text(text), .number("-1")])
        }
        let lines = table.text
        XCTAssertEqual(
            lines,
            """
            name,n
            "'=HYPERLINK(""http://x"",""y"")",-1
            '+1,-1
            '-1,-1
            '@SUM(A1),-1
            '\tx,-1
            "'\rx",-1
            "a|b
            c",-1
            plain,-1
            "a,b",-1

            """)
    }

    func testDecimalText() {
        XCTAssertEqual(DecimalText.plain(Decimal(string: "0.5")!, minScale: 6), "0.500000")
        XCTAssertEqual(DecimalText.plain(Decimal(string: "12.0000001234")!, minScale: 6), "12.0000001234")
        XCTAssertEqual(DecimalText.plain(Decimal(42), minScale: 6), "42.000000")
        XCTAssertEqual(DecimalText.cents(Decimal(string: "1.005")!), "1.01")
        XCTAssertEqual(DecimalText.cents(Decimal(string: "1234.5")!), "1234.50")
        XCTAssertEqual(Currency.usd.format(Decimal(string: "1234567.891")!), "$1,234,567.89")
        XCTAssertEqual(Formatting.count(1_234_567), "1,234,567")
    }
}
