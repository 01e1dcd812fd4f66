import ChargebackCore
import Foundation
import XCTest

/// `--as-of`: a report of October made as if it were October 15th counts what a report of
/// October 1st to 15th made later counts (the samples after the 15th are not read).
final class AsOfTests: XCTestCase {
    func testAPartialMonthAsOfTheFifteenthEqualsTheFirstHalf() async throws {
        let world = try SampleWorld.get()
        let utc = TimeZone(identifier: "UTC")!
        let asOf = try XCTUnwrap(DateText.parseInstant("2026-10-15T00:00:00Z"))
        let october = try PeriodRequest.named("2026-10").resolve(in: utc, now: asOf, anyPartial: true)
        let partial = try await BackendReport.build(url: world.url, period: october, now: asOf)
        XCTAssertTrue(partial.partial)
        let half = try await BackendReport.build(
            url: world.url,
            period: try Period.range(from: "2026-10-01", to: "2026-10-15", in: utc))
        let ours = BackendReport.totals(partial)
        let theirs = BackendReport.totals(half)
        XCTAssertEqual(Set(ours.keys), Set(theirs.keys))
        for (key, tokens) in theirs {
            // A gap across the 15th is shared by time in the later report; as of the 15th its far
            // end is not yet seen. No gap of the sample history crosses it, so the figures are equal.
            XCTAssertEqual(ours[key], tokens, key)
        }
        let truth = world.truth.totals(from: october.start, to: asOf) { $0.gateway }
        for (gateway, expected) in truth {
            let measured = partial.lines.filter { $0.key.gateway == gateway }.reduce(Int64(0)) { $0 + $1.tokens }
            XCTAssertEqual(Double(measured), Double(expected), accuracy: Double(expected) * 0.0005, gateway)
        }
    }
}
