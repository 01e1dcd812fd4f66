import Foundation
import Logging

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Clients for a fake Prometheus with fast retries, shut down after use.
enum FakeClient {
    /// Settings for `url` with small timeouts, so a failing test fails quickly.
    static func settings(
        _ url: String, retries: Int = 2, timeout: Double = 2,
        configure: (inout PrometheusSettings) -> Void = { _ in }
    ) throws -> PrometheusSettings {
        var settings = PrometheusSettings(url: try PrometheusURLRules.parse(url), timeout: timeout, retries: retries)
        configure(&settings)
        return settings
    }

    /// Runs `body` with a client (1 ms first backoff) and shuts the client down afterwards.
    static func with<T>(
        _ settings: PrometheusSettings, logs: CapturedLogs = CapturedLogs(),
        environment: [String: String] = [:],
        _ body: (PrometheusClient) async throws -> T
    ) async throws -> T {
        try await PrometheusClient.using(
            settings: settings, logger: logs.logger(), backoffBase: 0.001,
            environment: environment, body)
    }

    /// The error `body` throws, or `nil` when it succeeds.
    static func error<T>(_ body: () async throws -> T) async -> Error? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    /// A raw-sample query at 2026-10-01T00:00Z, as the fetcher sends.
    static let rawQuery = "agentgateway_gen_ai_client_token_usage_sum[21600000ms]"
    static let rawTime = Date(timeIntervalSince1970: 1_790_812_800)
}
