import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Requests that fail together retry together: one warning line per retry round, not one per request.
final class RetryLogTests: XCTestCase {
    private var server: FakePrometheus?

    override func tearDown() async throws {
        await server?.stop()
    }

    func testOneWarningPerRoundOfTheSameProblem() {
        let log = RetryLog(window: 5)
        let now = Date(timeIntervalSince1970: 1_000)
        XCTAssertTrue(log.shouldWarn(attempt: 1, problem: "HTTP 500", at: now))
        XCTAssertFalse(log.shouldWarn(attempt: 1, problem: "HTTP 500", at: now.addingTimeInterval(0.2)), "same round")
        XCTAssertTrue(log.shouldWarn(attempt: 2, problem: "HTTP 500", at: now.addingTimeInterval(0.6)), "next round")
        XCTAssertTrue(
            log.shouldWarn(attempt: 1, problem: "timed out", at: now.addingTimeInterval(0.7)), "another problem")
        XCTAssertTrue(log.shouldWarn(attempt: 1, problem: "HTTP 500", at: now.addingTimeInterval(6)), "a later failure")
    }

    /// Two queries in flight both meet two HTTP 503s: two warning lines (attempts 1 and 2), not four.
    func testConcurrentRequestsFailingTogetherLogOneLinePerRetry() async throws {
        let started = try await FakePrometheus { _, index in
            index < 4 ? FakePrometheus.Reply(status: 503, headers: [], body: "unavailable") : .json(FakeAnswers.empty)
        }
        server = started
        let logs = CapturedLogs()
        let settings = try FakeClient.settings(started.url, retries: 3)
        // Backoff 0.1–0.2 s, then 0.2–0.4 s: both first retries come before either second one.
        try await PrometheusClient.using(settings: settings, logger: logs.logger(), backoffBase: 0.2) { client in
            async let first = client.query(FakeClient.rawQuery, at: FakeClient.rawTime)
            async let second = client.query(FakeClient.rawQuery, at: FakeClient.rawTime)
            _ = try await (first, second)
        }
        let lines = logs.text.split(separator: "\n").filter { $0.contains("retrying Prometheus request") }
        XCTAssertEqual(lines.count, 4, "every retry is logged, at debug when not the first of its round: \(logs.text)")
        let warnings = lines.filter { $0.hasPrefix("warning:") }
        XCTAssertEqual(warnings.count, 2, "one warning per round: \(warnings)")
        XCTAssertEqual(warnings.filter { $0.contains("attempt=1") }.count, 1, "\(warnings)")
        XCTAssertEqual(warnings.filter { $0.contains("attempt=2") }.count, 1, "\(warnings)")
    }
}
