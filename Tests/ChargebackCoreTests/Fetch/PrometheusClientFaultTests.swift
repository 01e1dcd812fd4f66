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

/// The client against a misbehaving HTTP endpoint: each fault gives the documented ``FetchError``
/// (or the documented recovery), and retries happen only where they can help.
final class PrometheusClientFaultTests: XCTestCase {
    private var servers: [FakePrometheus] = []

    override func tearDown() async throws {
        for server in servers { await server.stop() }
        servers = []
    }

    private func serve(_ script: @escaping FakePrometheus.Script) async throws -> FakePrometheus {
        let server = try await FakePrometheus(script: script)
        servers.append(server)
        return server
    }

    private func query(_ settings: PrometheusSettings) async throws -> QueryResult {
        try await FakeClient.with(settings) { try await $0.query(FakeClient.rawQuery, at: FakeClient.rawTime) }
    }

    func testConnectionRefusedIsUnreachableAfterEveryAttempt() async throws {
        let url = "http://127.0.0.1:\(try ClosedPort.find())"
        let error = await FakeClient.error { try await self.query(try FakeClient.settings(url, retries: 2)) }
        XCTAssertEqual(error as? FetchError, .unreachable(url: url, reason: "connection refused", attempts: 3))
        let message = (error as? LocalizedError)?.errorDescription ?? ""
        XCTAssertTrue(
            message.hasPrefix("cannot reach Prometheus at \(url) (connection refused) after 3 attempt(s)"), message)
    }

    func testServerErrorThenSuccessIsRetried() async throws {
        let server = try await serve { _, index in
            index == 0 ? .json("oops", status: 500) : .json(FakeAnswers.matrix(FakeAnswers.tokenSeries))
        }
        let result = try await query(try FakeClient.settings(server.url))
        XCTAssertEqual(result.series.count, 2)
        XCTAssertEqual(server.requests.count, 2, "one failure, one retry")
    }

    func testServerErrorThatPersistsIsHTTPStatusAfterEveryAttempt() async throws {
        let server = try await serve { _, _ in .json("upstream gone", status: 502) }
        let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url, retries: 2)) }
        XCTAssertEqual(
            error as? FetchError, .httpStatus(url: server.url, status: 502, body: "upstream gone", attempts: 3))
        XCTAssertEqual(server.requests.count, 3)
    }

    func testTooManyRequestsWaitsAsLongAsRetryAfterSays() async throws {
        let server = try await serve { _, index in
            index == 0 ? .json("slow down", status: 429, headers: [("Retry-After", "1")]) : .json(FakeAnswers.empty)
        }
        _ = try await query(try FakeClient.settings(server.url))
        let requests = server.requests
        XCTAssertEqual(requests.count, 2)
        // The client's own backoff is 1 ms here: only Retry-After explains a second's wait.
        let waited = requests[0].arrived.duration(to: requests[1].arrived)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(990), "waited \(waited)")
    }

    func testNotFoundIsNotRetriedAndHintsAtThePathPrefix() async throws {
        let server = try await serve { _, _ in Reply404.reply }
        let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url)) }
        XCTAssertEqual(
            error as? FetchError, .httpStatus(url: server.url, status: 404, body: "404 page not found", attempts: 1))
        XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("path prefix") == true)
        XCTAssertEqual(server.requests.count, 1)
    }

    func testSlowAnswerTimesOutAndIsRetried() async throws {
        let server = try await serve { _, _ in
            var reply = FakePrometheus.Reply.json(FakeAnswers.empty)
            reply.delay = .seconds(3)
            return reply
        }
        let error = await FakeClient.error {
            try await self.query(try FakeClient.settings(server.url, retries: 1, timeout: 0.3))
        }
        XCTAssertEqual(error as? FetchError, .unreachable(url: server.url, reason: "timed out", attempts: 2))
        XCTAssertEqual(server.requests.count, 2)
    }

    func testAnswerThatStallsAfterItsHeadersTimesOut() async throws {
        let server = try await serve { _, _ in
            var reply = FakePrometheus.Reply.json(FakeAnswers.empty)
            reply.bodyDelay = .seconds(3)
            return reply
        }
        let error = await FakeClient.error {
            try await self.query(try FakeClient.settings(server.url, retries: 0, timeout: 0.3))
        }
        guard case .unreachable(let url, let reason, let attempts)? = error as? FetchError else {
            return XCTFail("expected unreachable, got \(String(describing: error))")
        }
        XCTAssertEqual(url, server.url)
        XCTAssertEqual(attempts, 1)
        XCTAssertTrue(reason.contains("timed out"), reason)
    }

    func testTruncatedJSONIsABadResponseAndNotRetried() async throws {
        let body = String(FakeAnswers.matrix(FakeAnswers.tokenSeries).prefix(70))
        let server = try await serve { _, _ in .json(body) }
        let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url)) }
        guard case .badResponse(let url, let detail)? = error as? FetchError else {
            return XCTFail("expected badResponse, got \(String(describing: error))")
        }
        XCTAssertEqual(url, server.url)
        XCTAssertTrue(detail.contains("truncated or malformed"), detail)
        XCTAssertEqual(server.requests.count, 1, "the same answer would come again")
    }

    func testConnectionClosedMidAnswerIsRetriedThenUnreachable() async throws {
        let server = try await serve { _, _ in
            var reply = FakePrometheus.Reply.json(String(FakeAnswers.matrix(FakeAnswers.tokenSeries).prefix(70)))
            reply.declaredLength = 5000
            return reply
        }
        let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url, retries: 1)) }
        guard case .unreachable(_, let reason, let attempts)? = error as? FetchError else {
            return XCTFail("expected unreachable, got \(String(describing: error))")
        }
        XCTAssertEqual(attempts, 2)
        XCTAssertTrue(reason.contains("closed"), reason)
        XCTAssertEqual(server.requests.count, 2)
    }

    func testJSONOfTheWrongShapeIsABadResponseSayingWhere() async throws {
        let cases: [(body: String, expected: String)] = [
            (
                #"{"status":"success","data":{"resultType":"matrix","result":{"metric":{}}}}"#,
                "unexpected JSON shape at data.result: expected an array"
            ),
            (
                #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["x","1"]]}]}}"#,
                "unexpected JSON shape at data.result[0].values[0][0]: expected a number"
            ),
            (#"{"data":{}}"#, "unexpected JSON shape: missing field 'status'"),
            ("<html><body>Sign in</body></html>", "the body is not JSON"),
        ]
        for (body, expected) in cases {
            let server = try await serve { _, _ in .json(body) }
            let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url)) }
            guard case .badResponse(_, let detail)? = error as? FetchError else {
                XCTFail("\(body): expected badResponse, got \(String(describing: error))")
                continue
            }
            XCTAssertTrue(detail.hasPrefix(expected), "\(body): \(detail)")
        }
    }

    func testStatusErrorBecomesAnAPIErrorWithTypeAndMessage() async throws {
        for status in [200, 400, 422] {
            let server = try await serve { _, _ in
                .json(
                    FakeAnswers.error(type: "bad_data", message: "parse error: unexpected end of input"), status: status
                )
            }
            let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url)) }
            XCTAssertEqual(
                error as? FetchError,
                .api(
                    url: server.url, errorType: "bad_data",
                    message: "parse error: unexpected end of input",
                    query: FakeClient.rawQuery), "HTTP \(status)")
            XCTAssertEqual(server.requests.count, 1, "HTTP \(status): a rejected query is not retried")
        }
    }

    func testUnavailableWithStatusErrorIsRetried() async throws {
        let server = try await serve { _, index in
            index == 0
                ? .json(FakeAnswers.error(type: "unavailable", message: "too many queries"), status: 503)
                : .json(FakeAnswers.empty)
        }
        _ = try await query(try FakeClient.settings(server.url))
        XCTAssertEqual(server.requests.count, 2)
    }

    func testWarningsArePassedOn() async throws {
        let server = try await serve { _, _ in
            .json(FakeAnswers.matrix(FakeAnswers.tokenSeries, extra: #","warnings":["store eu-1 is slow"]"#))
        }
        let result = try await query(try FakeClient.settings(server.url))
        XCTAssertEqual(result.warnings, ["store eu-1 is slow"])
        XCTAssertEqual(result.series.count, 2)
    }

    func testPartialResponsesAreRefusedByDefault() async throws {
        for field in [#","partialResponse":true"#, #","isPartial":true"#] {
            let server = try await serve { _, _ in .json(FakeAnswers.matrix(FakeAnswers.tokenSeries, extra: field)) }
            let error = await FakeClient.error { try await self.query(try FakeClient.settings(server.url)) }
            XCTAssertEqual(error as? FetchError, .partialResponse(url: server.url, query: FakeClient.rawQuery), field)
            XCTAssertEqual(
                server.requests.first?.form["partial_response"], "false", "Thanos is asked not to answer partially")
        }
    }

    func testPartialResponsesAreAcceptedWithAWarningWhenAllowed() async throws {
        let server = try await serve { _, _ in
            .json(FakeAnswers.matrix(FakeAnswers.tokenSeries, extra: #","partialResponse":true"#))
        }
        let settings = try FakeClient.settings(server.url) { $0.allowPartialResponse = true }
        let result = try await query(settings)
        XCTAssertEqual(result.series.count, 2)
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertTrue(result.warnings[0].hasPrefix("partial response accepted"), result.warnings[0])
        XCTAssertEqual(server.requests.first?.form["partial_response"], "true")
    }
}

/// What Prometheus answers for a path it does not serve.
private enum Reply404 {
    static let reply = FakePrometheus.Reply(
        status: 404, headers: [("Content-Type", "text/plain")], body: "404 page not found\n")
}
