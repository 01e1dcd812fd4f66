import Foundation
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Splitting changes how much is asked at once, never the answer.
final class ChunkingTests: XCTestCase {
    /// The month read raw in 90-minute windows (not aligned to hours), in 6-hour windows (the
    /// default) and in one window gives the same usage, hour by hour, and the same coverage.
    func testRawSampleChunksGiveTheSameReportAsOneUnsplitQuery() async throws {
        let url = try SampleWorld.get().url
        var reports: [(chunk: Int, report: Report)] = []
        for chunk in [90 * 60, 6 * 3600, 40 * 86400] {
            let report = try await BackendReport.build(url: url) {
                $0.prometheus.chunkSeconds = chunk
                $0.prometheus.plan = .raw
            }
            let periodQueries = report.queries.filter {
                $0.endpoint == "/api/v1/query" && $0.promql.hasPrefix("agentgateway_gen_ai_client_token_usage_sum")
            }
            let edge = (QueryPlan.edgeSeconds + chunk - 1) / chunk
            XCTAssertEqual(periodQueries.count, 2 * edge + (31 * 86400 + chunk - 1) / chunk, "chunk \(chunk)")
            reports.append((chunk, report))
        }
        let reference = reports[1].report
        XCTAssertGreaterThan(reference.totalTokens, 0)
        for (chunk, report) in reports {
            XCTAssertEqual(BackendReport.hourly(report), BackendReport.hourly(reference), "chunk \(chunk)")
            XCTAssertEqual(report.coverage, reference.coverage, "chunk \(chunk)")
            XCTAssertEqual(report.roundedTotal, reference.roundedTotal, "chunk \(chunk)")
        }
    }

    /// `query_range` over the month at a 1-minute step is 44,641 points per series: Prometheus refuses
    /// that in one request; split, it is answered, each step once, and agrees with a coarse unsplit query.
    func testALongQueryRangeIsSplitUnderElevenThousandPointsAndAnswered() async throws {
        let url = try SampleWorld.get().url
        let query = "sum by (gateway) (agentgateway_gen_ai_client_token_usage_sum)"
        let start = try XCTUnwrap(DateText.parseInstant("2026-10-01T00:00:00Z"))
        let end = try XCTUnwrap(DateText.parseInstant("2026-11-01T00:00:00Z"))
        XCTAssertEqual(RangeSplit.points(start: start, end: end, stepSeconds: 60), 44_641)
        try await BackendReport.withClient(url) { client in
            let unsplit = await Self.error {
                try await client.queryRange(
                    query, start: start, end: end, stepSeconds: 60,
                    maxPointsPerRequest: .max)
            }
            guard case .api(_, let errorType, let message, _)? = unsplit as? FetchError else {
                return XCTFail("Prometheus should refuse 44,641 points: \(String(describing: unsplit))")
            }
            XCTAssertEqual(errorType, "bad_data")
            XCTAssertTrue(message.contains("11,000"), message)

            let requestsBefore = client.statistics.requests
            let fine = try await client.queryRange(query, start: start, end: end, stepSeconds: 60)
            XCTAssertEqual(client.statistics.requests - requestsBefore, 5, "44,641 points in 5 requests")
            let coarse = try await client.queryRange(query, start: start, end: end, stepSeconds: 3600)
            XCTAssertEqual(fine.series.count, 3)
            for series in fine.series {
                let times = series.samples.map(\.0)
                XCTAssertEqual(times, times.sorted(), "in time order")
                XCTAssertEqual(Set(times).count, times.count, "each step once")
                XCTAssertTrue(times.allSatisfy { ($0 - 1_790_812_800_000) % 60_000 == 0 }, "on the step grid")
                let hourly = try XCTUnwrap(coarse.series.first { $0.labels == series.labels })
                let fineByTime = Dictionary(uniqueKeysWithValues: series.samples.map { ($0.0, $0.1) })
                for (time, value) in hourly.samples {
                    XCTAssertEqual(fineByTime[time], value, "\(series.labels) at \(time)")
                }
            }
        }
    }

    private static func error<T>(_ body: () async throws -> T) async -> Error? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }
}
