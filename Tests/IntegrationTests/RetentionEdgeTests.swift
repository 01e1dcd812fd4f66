import ChargebackCore
import Foundation
import XCTest

/// The edges of what the backend holds, on a real Prometheus: a period that starts before the
/// oldest sample (older samples deleted, as retention deletes them, so running counters carry
/// their whole past in their first remaining sample), and a period whose last days no series covers.
final class RetentionEdgeTests: XCTestCase {
    /// Where the deleted history ends, inside the October report: on the hour (October 4th, 14:00
    /// UTC, as retention deleting whole blocks leaves it) and inside an hour (14:30).
    static let cuts = ["2026-10-04T14:00:00Z", "2026-10-04T14:30:00Z"].map { DateText.parseInstant($0)! }

    func testAPeriodStartingBeforeTheDataCountsOnlyTheCoveredPart() async throws {
        for cut in Self.cuts { try await Self.periodStartingBeforeTheData(cut: cut) }
    }

    static func periodStartingBeforeTheData(cut: Date) async throws {
        let world = try SampleWorld.get()
        let server = try ScratchPrometheus(copying: world, flags: "--web.enable-admin-api")
        defer { server.stop() }
        try await server.deleteSamples(before: cut)
        for plan in [FetchPlan.summaries, .raw] {
            let report = try await BackendReport.build(url: server.url) { $0.prometheus.plan = plan }
            let truth = world.truth.totals(from: cut, to: report.period.end) { $0.gateway }
            XCTAssertEqual(truth.count, 3)
            for (gateway, expected) in truth {
                let ours = report.lines.filter { $0.key.gateway == gateway }.reduce(Int64(0)) { $0 + $1.tokens }
                let error = abs(Double(ours) - Double(expected)) / Double(expected)
                XCTAssertLessThanOrEqual(
                    error, 0.005, "\(cut) \(plan) \(gateway): ours \(ours), truth of the covered part \(expected)")
            }
            let coverage = report.coverage
            let start = try XCTUnwrap(coverage.dataStart, "\(cut) \(plan)")
            XCTAssertTrue(start >= cut && start < cut.addingTimeInterval(60), "\(cut) \(plan): data start \(start)")
            XCTAssertTrue(coverage.periodStartsBeforeData, "\(cut) \(plan)")
            XCTAssertEqual(
                coverage.uncovered.first?.to, Hour(containing: cut).startDate,
                "\(cut) \(plan): the hours before the data are named")
            XCTAssertTrue(
                coverage.startedInPeriod.allSatisfy { $0.at > start.addingTimeInterval(60) },
                "\(plan): series running at the data's edge are not counted as new: \(coverage.startedInPeriod)")
            XCTAssertLessThan(coverage.ratio, 1 - 3.0 * 24 / 744, "\(plan): the missing days lower the coverage")
            XCTAssertTrue(
                report.diagnostics.contains { $0.message.contains("the period starts before the backend's data does") },
                "\(plan): \(report.diagnostics)")
        }
    }

    /// The sample history ends on November 5th: a report to the 10th names the hours nothing covers.
    func testHoursAfterTheDataEndsAreNamedAndLowerTheCoverage() async throws {
        let world = try SampleWorld.get()
        let period = try Period.range(from: "2026-11-01", to: "2026-11-10", in: TimeZone(identifier: "UTC")!)
        let report = try await BackendReport.build(url: world.url, period: period)
        let coverage = report.coverage
        XCTAssertEqual(coverage.expectedHours, 9 * 24)
        let tail = try XCTUnwrap(coverage.uncovered.last)
        XCTAssertEqual(tail.to, period.end)
        XCTAssertFalse(tail.bridged)
        let end = try XCTUnwrap(DateText.parseInstant("2026-11-05T00:00:00Z"))
        XCTAssertTrue(tail.from <= end && tail.from > end.addingTimeInterval(-2 * 3600), "\(tail.from)")
        XCTAssertLessThanOrEqual(coverage.ratio, 4.0 / 9.0 + 0.01)
        XCTAssertTrue(
            report.diagnostics.contains { $0.message.contains("no series has a sample in") },
            "\(report.diagnostics)")
    }
}
