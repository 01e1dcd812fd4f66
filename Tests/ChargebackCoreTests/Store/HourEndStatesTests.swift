import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The counter states kept at each hour's end, from raw samples and the backend's hour-end points.
final class HourEndStatesTests: XCTestCase {
    let buckets = Buckets(
        period: try! Period.range(from: "2026-10-01", to: "2026-10-03", in: TimeZone(identifier: "UTC")!))
    let hour: Int64 = 3_600_000

    func testEachHourEndHoldsTheLastSampleKnownAndNothingWhenItIsNotKnown() {
        let start = buckets.startMillis
        func state(_ identity: String, _ millis: Int64, _ value: Int64) -> SeriesState {
            SeriesState(identity: identity, millis: millis, value: value)
        }
        var measured = MeasuredUsage(
            tokens: [:], coverage: Coverage(), gatewayCostNanos: [:], dashboardIncrease: [], queries: [],
            diagnostics: [])
        // a: read raw in hour 0, summed in hours 1 and 2 (the backend's point only at 03:00), then silent.
        // b: read raw in hour 0 only, silent after (a stopped series).
        measured.lastFedInHour = [
            "a": [0: state("a", start + hour - 20_000, 10)], "b": [0: state("b", start + 40 * 60_000, 7)],
        ]
        measured.samplesBySeries = [
            "a": [120, 120, 120] + Array(repeating: 0, count: 45), "b": [80] + Array(repeating: 0, count: 47),
        ]
        // The backend's point at the end of hour 2.
        let points = HourEndStates(
            points: [Hour(containingMillis: start + 2 * hour): ["a": state("a", start + 3 * hour - 15_000, 30)]])
        let states = points.states(measured, buckets: buckets, firstHour: 0)
        func at(_ index: Int) -> [SeriesState] { states[Hour(startSeconds: buckets.hourStarts[index])] ?? [] }
        XCTAssertEqual(at(0), [state("a", start + hour - 20_000, 10), state("b", start + 40 * 60_000, 7)])
        XCTAssertEqual(at(1), [state("b", start + 40 * 60_000, 7)], "a had samples whose last one is not known")
        XCTAssertEqual(at(2), [state("a", start + 3 * hour - 15_000, 30), state("b", start + 40 * 60_000, 7)])
        XCTAssertEqual(at(3).map(\.millis), [start + 3 * hour - 15_000, start + 40 * 60_000], "silent: carried")
        // b's last sample is 26 hours old at the end of hour 26 (02:00 on the 2nd): no state from then.
        XCTAssertEqual(at(25).map(\.identity), ["a", "b"])
        XCTAssertEqual(at(26).map(\.identity), ["a"])
        XCTAssertEqual(at(28).map(\.identity), [], "a's is 26 hours old at the end of hour 28")
        XCTAssertEqual(
            points.states(measured, buckets: buckets, firstHour: 2).keys.min(),
            Hour(startSeconds: buckets.hourStarts[2]))
    }
}
