import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class RetryPolicyTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_790_812_800)  // 2026-10-01T00:00:00Z

    func testRetryAfterInSecondsOrAsAnHTTPDate() {
        XCTAssertEqual(RetryPolicy.seconds(retryAfter: "7", now: now), 7)
        XCTAssertEqual(RetryPolicy.seconds(retryAfter: " 2.5 ", now: now), 2.5)
        XCTAssertEqual(RetryPolicy.seconds(retryAfter: "Thu, 01 Oct 2026 00:00:30 GMT", now: now), 30)
        XCTAssertEqual(
            RetryPolicy.seconds(retryAfter: "Wed, 30 Sep 2026 23:00:00 GMT", now: now), 0, "a past date: now")
        XCTAssertNil(RetryPolicy.seconds(retryAfter: "soon", now: now))
    }

    func testDelayGrowsHonoursRetryAfterAndIsCapped() {
        let policy = RetryPolicy(retries: 4, base: 1)
        for attempt in 1...4 {
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, now: now)
            let full = pow(2, Double(attempt - 1))
            XCTAssertTrue((full / 2...full).contains(delay), "attempt \(attempt): \(delay)")
        }
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "20", now: now), 20)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "3600", now: now), RetryPolicy.maxDelay)
        XCTAssertTrue([429, 500, 502, 503, 504].allSatisfy(RetryPolicy.isRetryable))
        XCTAssertFalse([400, 401, 403, 404, 422, 301].contains(where: RetryPolicy.isRetryable))
    }
}
