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

/// `queryRange` splits a long range under 11,000 points per request and joins the parts per series.
final class RangeQueryTests: XCTestCase {
    func testALongRangeIsSplitUnderTheLimitAndJoinedPerSeries() async throws {
        // Answers like Prometheus: one point per step per series, refusing more than 11,000.
        let server = try await FakePrometheus { request, _ in
            guard let start = request.form["start"].flatMap(Double.init),
                let end = request.form["end"].flatMap(Double.init),
                let step = request.form["step"].flatMap(Double.init)
            else { return .json("", status: 400) }
            let points = Int(((end - start) / step).rounded(.down)) + 1
            guard points <= 11_000 else {
                return .json(
                    FakeAnswers.error(type: "bad_data", message: "exceeded maximum resolution of 11,000 points"),
                    status: 400)
            }
            let series = ["a", "b"].map { name in
                FakeAnswers.Series(
                    labels: ["series": name],
                    samples: (0..<points).map { (start + Double($0) * step, "\(Int(start) + $0 * Int(step))") })
            }
            return .json(FakeAnswers.matrix(series))
        }
        let start = Date(timeIntervalSince1970: 1_790_812_800)
        let end = start.addingTimeInterval(31 * 86400)
        let result = try await FakeClient.with(try FakeClient.settings(server.url)) {
            try await $0.queryRange("up", start: start, end: end, stepSeconds: 60)
        }
        await server.stop()
        let requests = server.requests
        XCTAssertEqual(requests.count, 5)
        for request in requests {
            let start = try XCTUnwrap(request.form["start"].flatMap(Double.init))
            let end = try XCTUnwrap(request.form["end"].flatMap(Double.init))
            XCTAssertLessThanOrEqual(Int((end - start) / 60) + 1, RangeSplit.maxPointsPerSeries)
            XCTAssertEqual(request.path, "/api/v1/query_range")
        }
        XCTAssertEqual(result.series.count, 2)
        for series in result.series {
            XCTAssertEqual(series.samples.count, 31 * 1440 + 1)
            XCTAssertEqual(
                series.samples.map(\.0), (0...(31 * 1440)).map { 1_790_812_800_000 + Int64($0) * 60_000 },
                "every step once, in order")
        }
    }
}
