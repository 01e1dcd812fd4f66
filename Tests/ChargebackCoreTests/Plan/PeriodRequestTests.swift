import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class PeriodRequestTests: XCTestCase {
    private let utc = TimeZone(identifier: "UTC")!
    private let now = DateText.parseInstant("2026-11-15T12:00:00Z")!

    func testOnlyThisMonthMayEndInTheFuture() throws {
        XCTAssertEqual(try PeriodRequest.named("2026-10").resolve(in: utc, now: now).label, "2026-10")
        let partial = try PeriodRequest.named("this-month").resolve(in: utc, now: now)
        XCTAssertEqual(partial.label, "2026-11")
        XCTAssertTrue(partial.isPartial(now: now))
        for request in [
            PeriodRequest.named("2026-11"), .named("2026-Q4"), .range(from: "2026-11-01", to: "2026-11-20"),
        ] {
            XCTAssertThrowsError(try request.resolve(in: utc, now: now), "\(request)") { error in
                XCTAssertTrue("\(error.localizedDescription)".contains("ends in the future"), "\(error)")
                XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            }
        }
    }

    /// `--as-of`: the run's now, from a time or a date's local midnight; never after the clock. With
    /// it, any period that contains it is a partial report up to it, and relative names count from it.
    func testAsOfIsTheRunsNowAndMakesAContainingPeriodPartial() throws {
        let asOf = try PeriodRequest.runTime(asOf: "2026-10-15T00:00:00Z", in: utc, clock: now)
        XCTAssertEqual(asOf, DateText.parseInstant("2026-10-15T00:00:00Z"))
        XCTAssertEqual(
            try PeriodRequest.runTime(asOf: "2026-10-15", in: TimeZone(identifier: "Europe/Berlin")!, clock: now),
            DateText.parseInstant("2026-10-14T22:00:00Z"))
        XCTAssertEqual(try PeriodRequest.runTime(asOf: nil, in: utc, clock: now), now)
        let october = try PeriodRequest.named("2026-10").resolve(in: utc, now: asOf, anyPartial: true)
        XCTAssertTrue(october.isPartial(now: asOf))
        XCTAssertThrowsError(try PeriodRequest.named("2026-10").resolve(in: utc, now: asOf), "without --as-of")
        XCTAssertEqual(
            try PeriodRequest.named("last-month").resolve(in: utc, now: asOf, anyPartial: true).label, "2026-09")
        for text in ["2026-11-16", "soon"] {
            XCTAssertThrowsError(try PeriodRequest.runTime(asOf: text, in: utc, clock: now), text) { error in
                XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
                XCTAssertTrue(error.localizedDescription.contains("--as-of"), "\(error)")
            }
        }
    }

    func testAPeriodThatHasNotStartedIsRefused() {
        XCTAssertThrowsError(try PeriodRequest.named("2026-12").resolve(in: utc, now: now)) { error in
            XCTAssertEqual((error as? InputError)?.message, "the period 2026-12 has not started yet")
        }
    }

    func testTheZoneMovesTheBoundaries() throws {
        let berlin = try PeriodRequest.named("2026-10").resolve(in: TimeZone(identifier: "Europe/Berlin")!, now: now)
        XCTAssertEqual(berlin.start, DateText.parseInstant("2026-09-30T22:00:00Z"))
    }

    func testFormatListsParseOrNameTheUnknownFormat() throws {
        XCTAssertEqual(try ReportFormat.list(" CSV , focus"), [.csv, .focus])
        XCTAssertThrowsError(try ReportFormat.list("csv,pdf")) { error in
            XCTAssertEqual(
                (error as? InputError)?.message, "unknown format 'pdf'; choose from markdown, csv, xlsx, focus")
        }
        XCTAssertThrowsError(try ReportFormat.list(","))
    }
}
