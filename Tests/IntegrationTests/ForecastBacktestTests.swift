import ChargebackCore
import Foundation
import Logging
import TestSupport
import XCTest

/// The forecast's backtest on the sample history: October 2026 forecast as of days 5, 10, 15, 20
/// and 25 against the month's measured total. The errors the report states must be what the
/// method gives, within 10 % from the 10th on, with the actual inside the stated range.
final class ForecastBacktestTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!

    func partialOctober(asOf: Date, url: String) async throws -> Report {
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(url)
        let october = try PeriodRequest.named("2026-10").resolve(in: utc, now: asOf, anyPartial: true)
        var request = ReportRequest(
            period: october, formats: [], hourly: false,
            outputDirectory: FileManager.default.temporaryDirectory, commandLine: [], now: asOf)
        request.forecast = true
        let logger = Logger(label: "test")
        return try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            try await ReportPipeline(config: config, client: client, logger: logger).buildReport(request)
        }
    }

    func testTheStatedBacktestErrorIsWhatTheMethodGives() async throws {
        let world = try SampleWorld.get()
        let actual = try await BackendReport.build(url: world.url, period: "2026-10").roundedTotal
        var errors: [Decimal] = []
        for day in ForecastBacktest.days {
            let asOf = try XCTUnwrap(DateText.parseInstant(String(format: "2026-10-%02dT00:00:00Z", day)))
            let report = try await partialOctober(asOf: asOf, url: world.url)
            let total = try XCTUnwrap(report.forecast?.total, "day \(day)")
            let error = Money.round((total.forecast - actual).magnitude * 100 / actual, scale: 1)
            errors.append(error)
            print(
                "backtest day \(day): forecast \(total.forecast) [\(total.low), \(total.high)] actual \(actual) "
                    + "error \(error) %")
            if day >= 10 {
                XCTAssertLessThan(error, 10, "day \(day)")
                XCTAssertTrue(
                    total.low <= actual && actual <= total.high,
                    "day \(day): actual \(actual) outside [\(total.low), \(total.high)]")
            }
        }
        XCTAssertEqual(errors, ForecastBacktest.errors, "update ForecastBacktest.errors to what the method gives")
    }
}
