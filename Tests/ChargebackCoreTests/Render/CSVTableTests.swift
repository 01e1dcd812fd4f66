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

/// The short path of ``DecimalText`` writes every value as Foundation's text does.
final class DecimalTextTests: XCTestCase {
    func testShortPathMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...19, using: &generator)
            let significand = UInt64.random(in: 0...(digits == 19 ? UInt64.max : pow10(digits)), using: &generator)
            let exponent = Int.random(in: -24...12, using: &generator)
            var value = Decimal(
                sign: Bool.random(using: &generator) ? .minus : .plus, exponent: exponent,
                significand: Decimal(significand))
            if Bool.random(using: &generator) { value = value / 7 }  // full 38-digit significands
            let minScale = Int.random(in: 0...8, using: &generator)
            let expected = DecimalText.foundation(value, minScale: minScale)
            XCTAssertEqual(DecimalText.plain(value, minScale: minScale), expected, "\(value) at \(minScale)")
            if DecimalText.small(value, minScale: minScale) != nil { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 5_000, "the short path took too few values to tell")
        for (value, minScale, text) in [
            (Decimal(0), 2, "0.00"), (Decimal(0), 0, "0"), (Decimal(string: "-0.000123")!, 2, "-0.000123"),
            (Decimal(string: "1200")!, 0, "1200"), (Decimal(string: "1E+3")!, 1, "1000.0"),
            (Decimal(string: "18446744073709551615")!, 0, "18446744073709551615"),
        ] {
            XCTAssertNotNil(DecimalText.small(value, minScale: minScale))
            XCTAssertEqual(DecimalText.plain(value, minScale: minScale), text)
        }
        XCTAssertNil(DecimalText.small(.nan, minScale: 0))
    }

    private func pow10(_ digits: Int) -> UInt64 { (0..<digits).reduce(1) { value, _ in value * 10 } - 1 }
}

/// The integer sum of ``DecimalDigits`` gives Foundation's `+`, to the byte.
final class DecimalSumTests: XCTestCase {
    func testSumMatchesFoundationToTheByte() {
        var generator = SystemRandomNumberGenerator()
        func random() -> Decimal {
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: return 0
            case 1:  // a cost as pricing makes it, sometimes through a rate
                let cost = Decimal(Int.random(in: 0...50_000_000, using: &generator)) * Decimal(string: "0.000003217")!
                return Bool.random(using: &generator) ? cost : cost / Decimal(string: "0.9137")!
            case 2:  // whole cents
                return Decimal(sign: .plus, exponent: -2, significand: Decimal(Int.random(in: -99_999...99_999)))
            default:
                let significand = UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63)
                return Decimal(
                    sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -30...10),
                    significand: Decimal(significand))
            }
        }
        var integer = 0
        for _ in 0..<40_000 {
            let (a, b) = (random(), random())
            let expected = a + b
            let sum = DecimalDigits.sum(a, b)
            XCTAssertEqual(bytes(sum), bytes(expected), "\(a) + \(b)")
            if let digits = DecimalDigits(sum), bytes(sum) == bytes(expected), digits.significand > 0 { integer += 1 }
        }
        XCTAssertGreaterThan(integer, 20_000)
        var total = Decimal(string: "0.1")!
        total.accumulate(Decimal(string: "-0.1")!)
        XCTAssertEqual(bytes(total), bytes(Decimal(string: "0.1")! + Decimal(string: "-0.1")!))
    }

    private func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
}
