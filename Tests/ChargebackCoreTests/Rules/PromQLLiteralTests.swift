import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class PromQLLiteralTests: XCTestCase {
    func testStringsAreEscapedSoAValueCannotEndTheString() {
        XCTAssertEqual(PromQLLiteral.string("kgateway-system"), #""kgateway-system""#)
        XCTAssertEqual(PromQLLiteral.string(#"a"b\c"#), #""a\"b\\c""#)
        XCTAssertEqual(PromQLLiteral.string("line\nbreak\t"), #""line\nbreak\t""#)
        XCTAssertEqual(PromQLLiteral.string("\u{1}"), #""\x01""#)
    }

    func testPricesAreTheirDecimalText() throws {
        XCTAssertEqual(try PromQLLiteral.number(Decimal(string: "0.80")!), "0.8")
        XCTAssertEqual(try PromQLLiteral.number(Decimal(string: "3.75")!), "3.75")
        XCTAssertEqual(try PromQLLiteral.number(Decimal(string: "0.1")!), "0.1", "no 0.1000000000000000055…")
        XCTAssertEqual(try PromQLLiteral.number(Decimal(string: "0.000001")!), "0.000001", "no exponent")
        XCTAssertEqual(try PromQLLiteral.number(15), "15")
        XCTAssertThrowsError(try PromQLLiteral.number(-1))
        XCTAssertThrowsError(try PromQLLiteral.number(Decimal.nan))
    }

    /// Each glob's regex matches exactly the names `fnmatch` (the price book's own matcher) matches.
    func testGlobRegexesMatchWhatTheGlobMatches() throws {
        let globs = [
            "claude-3-5-haiku*", "gpt-4o-2024-08-06", "gpt-4o?", "claude-*-4-5*", "model.v1+(x)", "[ab]c*",
            "[!ab]c", "[a-c]x", "a\\*b", "price[1]", "x[", "a|b", "*", "?", "[]x]y", "[[:digit:]]z", "^$",
        ]
        let names = [
            "claude-3-5-haiku-20241022", "claude-3-5-haiku", "claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06",
            "gpt-4o-2024-08-06-mini", "gpt-4o1", "gpt-4o", "model.v1+(x)", "modelXv1+(x)", "ac", "bcd", "cc", "ec",
            "bx", "dx", "a*b", "axb", "price1", "price[1]", "x[", "a|b", "a", "b", "", "]y", "xy", "7z", "zz",
            "^$", "claude-opus-4-5", "line\nbreak",
        ]
        for glob in globs {
            let regex = try NSRegularExpression(pattern: "^(?:\(PromQLLiteral.regex(fromGlob: glob)))$")
            for name in names where !name.contains("\n") {
                let matched = regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
                XCTAssertEqual(
                    matched, Glob(glob).matches(name),
                    "glob \(glob) → \(PromQLLiteral.regex(fromGlob: glob)) on \(name)")
            }
        }
        XCTAssertEqual(PromQLLiteral.regex(fromGlob: "claude-3-5-haiku*"), "claude-3-5-haiku.*")
        XCTAssertEqual(PromQLLiteral.regex(fromGlob: "gpt-4o-2024-08-06"), "gpt-4o-2024-08-06")
        XCTAssertEqual(PromQLLiteral.regex(fromGlob: "a.b"), #"a\.b"#)
    }

    func testSelectorsKeepTheConfiguredMatchersAndAddOurs() {
        let extra = [LabelMatcher("t", .equal, "input")]
        XCTAssertEqual(
            LabelMatcher.selector("m", configured: #"{namespace="k"}"#, extra: extra), #"m{namespace="k", t="input"}"#)
        XCTAssertEqual(
            LabelMatcher.selector("m", configured: #" namespace="k", "#, extra: extra), #"m{namespace="k", t="input"}"#)
        XCTAssertEqual(LabelMatcher.selector("m", configured: "", extra: extra), #"m{t="input"}"#)
        XCTAssertEqual(LabelMatcher.selector("m", configured: "{}", extra: []), "m")
    }
}
