import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class PeriodTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let losAngeles = TimeZone(identifier: "America/Los_Angeles")!

    func instant(_ text: String) -> Date { DateText.parseInstant(text)! }

    func testForms() throws {
        let now = instant("2026-11-22T11:00:00Z")
        let cases: [(String, TimeZone, String, String, String)] = [
            ("2026-10", utc, "2026-10", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"),
            ("2026-10", berlin, "2026-10", "2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z"),
            ("2026-10", losAngeles, "2026-10", "2026-10-01T07:00:00Z", "2026-11-01T07:00:00Z"),
            ("2026-Q4", utc, "2026-Q4", "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z"),
            ("2026-W43", utc, "2026-W43", "2026-10-19T00:00:00Z", "2026-10-26T00:00:00Z"),
            ("2026-10-14", berlin, "2026-10-14", "2026-10-13T22:00:00Z", "2026-10-14T22:00:00Z"),
            ("2026-10-25", berlin, "2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
            ("last-month", utc, "2026-10", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z"),
            ("this-month", utc, "2026-11", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
            ("yesterday", utc, "2026-11-21", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"),
            ("last-week", utc, "2026-W46", "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z"),
        ]
        for (text, zone, label, start, end) in cases {
            let period = try Period.parse(text, in: zone, now: now)
            XCTAssertEqual(period.label, label, text)
            XCTAssertEqual(period.start, instant(start), "\(text) in \(zone.identifier)")
            XCTAssertEqual(period.end, instant(end), "\(text) in \(zone.identifier)")
        }
    }

    func testBadPeriodsAreInputErrors() {
        for text in ["2026-13", "2026-00", "26-10", "2026-Q5", "2026-W54", "2026-02-30", "", "october", "2026-10-1"] {
            XCTAssertThrowsError(try Period.parse(text, in: utc), text) { error in
                XCTAssertTrue(error is InputError, text)
            }
        }
    }

    /// A period of the right shape that names no month, quarter or week says which part is wrong.
    func testAPeriodThatDoesNotExistSaysWhichPartIsWrong() {
        let cases = [
            "2026-13": "--period '2026-13': month 13 does not exist (01 to 12)",
            "2026-00": "--period '2026-00': month 0 does not exist (01 to 12)",
            "2026-Q5": "--period '2026-Q5': quarter Q5 does not exist (Q1 to Q4)",
            "2026-W54": "--period '2026-W54': ISO week 54 of 2026 does not exist",
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try Period.parse(text, in: utc), text) { error in
                XCTAssertEqual((error as? InputError)?.message, message, text)
            }
        }
    }

    func testRangeIsHalfOpenAndOrdered() throws {
        let period = try Period.range(from: "2026-10-01", to: "2026-10-15T12:00:00Z", in: utc)
        XCTAssertEqual(period.start, instant("2026-10-01T00:00:00Z"))
        XCTAssertEqual(period.end, instant("2026-10-15T12:00:00Z"))
        XCTAssertFalse(period.label.contains(":"))
        XCTAssertThrowsError(try Period.range(from: "2026-10-02", to: "2026-10-01", in: utc))
    }

    func testDaysAcrossDSTHaveTheRightNumberOfHours() throws {
        let october = Buckets(period: try Period.parse("2026-10", in: berlin))
        XCTAssertEqual(october.days.count, 31)
        XCTAssertEqual(october.hourCount, 31 * 24 + 1)
        let hours = october.days.map(\.hours.count)
        XCTAssertEqual(hours[24], 25, "2026-10-25 has 25 hours in Berlin")
        XCTAssertEqual(hours.filter { $0 == 24 }.count, 30)
        let march = Buckets(period: try Period.parse("2026-03", in: losAngeles))
        XCTAssertEqual(march.days[7].hours.count, 23, "2026-03-08 has 23 hours in Los Angeles")
    }
}
