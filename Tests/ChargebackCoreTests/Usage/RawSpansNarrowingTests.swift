import XCTest

@testable import ChargebackMeasure

/// ``RawSpans/narrowing(_:among:target:)``: a target's raw query narrowed to the series that need it.
final class RawSpansNarrowingTests: XCTestCase {
    /// One pod, 100 users × 2 token types: two users' series being born are read by `user_id`, not the pod.
    func testAFewSeriesOfABigTargetAreSelectedByTheLabelThatPicksFewest() {
        let all = (0..<100).flatMap { user in
            ["input", "output"].map { ["pod": "p", "user_id": "u\(user)", "type": $0] }
        }
        let needing = [all[6], all[7], all[40]]
        XCTAssertEqual(RawSpans.narrowing(needing, among: all, target: "pod"), #"user_id=~"u20|u3""#)
    }

    /// Half or more of the target's series needed, or a label some needing series lack: the pod alone.
    func testNoNarrowingWhenItWouldNotHalveTheRead() {
        let all = (0..<4).map { ["pod": "p", "user_id": "u\($0)"] }
        XCTAssertNil(RawSpans.narrowing(Array(all[0..<2]), among: all, target: "pod"))
        let mixed = all + [["pod": "p"], ["pod": "p"], ["pod": "p"], ["pod": "p"], ["pod": "p"]]
        XCTAssertNil(RawSpans.narrowing([["pod": "p"]], among: mixed, target: "pod"))
    }
}
