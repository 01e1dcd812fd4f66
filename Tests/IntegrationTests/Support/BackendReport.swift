import ChargebackCore
import Foundation
import Logging
import TestSupport

/// Builds the sample's report model against any backend URL, with config changes for the test.
enum BackendReport {
    /// The moment the tests pretend it is: well after October 2026 and the history's end.
    static let now = DateText.parseInstant("2026-11-22T00:00:00Z")!

    /// The report for `period` from the backend at `url`.
    /// - Parameter configure: changes to the sample config (chunk length, concurrency, …).
    static func build(
        url: String, period text: String = "2026-10", zone: TimeZone = TimeZone(identifier: "UTC")!,
        now: Date = BackendReport.now, hourly: Bool = false,
        configure: (inout ChargebackConfig) -> Void = { _ in }
    ) async throws -> Report {
        try await build(
            url: url, period: try Period.parse(text, in: zone, now: now), now: now, hourly: hourly,
            configure: configure)
    }

    /// The report for `period` from the backend at `url`.
    static func build(
        url: String, period: Period, now: Date = BackendReport.now, hourly: Bool = false,
        configure: (inout ChargebackConfig) -> Void = { _ in }
    ) async throws -> Report {
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        config.prometheus.url = try PrometheusURLRules.parse(url)
        configure(&config)
        let request = ReportRequest(
            period: period, formats: [], hourly: hourly,
            outputDirectory: FileManager.default.temporaryDirectory, commandLine: [], now: now)
        return try await PrometheusClient.using(settings: config.prometheus, logger: Logger(label: "test")) { client in
            try await ReportPipeline(config: config, client: client, logger: Logger(label: "test")).buildReport(request)
        }
    }

    /// Runs `body` with a plain client for `url` and shuts it down afterwards.
    static func withClient<T>(_ url: String, _ body: (PrometheusClient) async throws -> T) async throws -> T {
        try await PrometheusClient.using(
            settings: PrometheusSettings(url: try PrometheusURLRules.parse(url)),
            logger: Logger(label: "test"), body)
    }

    /// Monthly tokens per `gateway token_type`.
    static func totals(_ report: Report) -> [String: Int64] {
        var totals: [String: Int64] = [:]
        for line in report.lines { totals["\(line.key.gateway) \(line.key.tokenType)", default: 0] += line.tokens }
        return totals
    }

    /// Hourly tokens per usage key, as text, for exact comparisons between runs.
    static func hourly(_ report: Report) -> [String: [Int64]] {
        var rows: [String: [Int64]] = [:]
        for line in report.lines {
            let key =
                "\(line.key.gateway) \(line.key.model) \(line.key.tokenType) \(line.key.system) \(line.key.extras)"
            rows[key] = zip(rows[key] ?? Array(repeating: 0, count: line.hourlyTokens.count), line.hourlyTokens).map(+)
        }
        return rows
    }
}
