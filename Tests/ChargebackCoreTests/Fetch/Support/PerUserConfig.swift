import Foundation

@testable import ChargebackConfig
@testable import ChargebackModel
@testable import ChargebackNetwork

/// The config of the in-memory per-user worlds: the token counter grouped by `user_id`, no cost
/// counter, the test price and team books, UTC.
enum PerUserConfig {
    static func make() -> ChargebackConfig {
        var metrics = MetricSettings()
        metrics.cost = nil
        var config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://in-memory.invalid")!), metrics: metrics,
            pricing: InMemoryReportTests.priceBook, teams: InMemoryReportTests.teamBook,
            timeZone: TimeZone(identifier: "UTC")!, thresholds: Thresholds(), gapFactor: 1.5, files: [])
        config.groupBy = ["user_id"]
        return config
    }
}
