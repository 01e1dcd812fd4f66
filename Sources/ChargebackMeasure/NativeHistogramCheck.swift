import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// agentgateway with `histograms: native` exports its token histogram only as a native histogram,
/// through the protobuf format. Prometheus (with native histograms enabled) stores it and the run
/// reads it (``NativeHistograms``); VictoriaMetrics stores no native histograms, so a gateway in
/// that mode leaves it no token series at all while its build info is there. That is said plainly
/// instead of "no series".
package enum NativeHistogramCheck {
    /// The histogram's name when `metric` is a histogram part (`…_sum` or `…_count`).
    static func histogramName(of metric: String) -> String? {
        for suffix in ["_sum", "_count"] where metric.hasSuffix(suffix) && metric.count > suffix.count {
            return String(metric.dropLast(suffix.count))
        }
        return nil
    }

    /// Throws when the backend is VictoriaMetrics, `config.metrics.tokens` is a histogram part and
    /// the backend holds agentgateway build info but no token series in `[from, to]`. Call it when
    /// the configured counter has no series.
    /// - Throws: ``InputError`` on the config file naming the backend and what to change (exit 64).
    package static func check(config: ChargebackConfig, client: any MetricsBackend, from: Date, to: Date) async throws {
        guard let name = histogramName(of: config.metrics.tokens), client.isVictoriaMetrics else { return }
        let builds = try await client.series(config.metrics.selector(for: OnlineHints.buildInfo), start: from, end: to)
        guard let example = builds.first else { return }
        throw InputError(
            file: config.filePath(role: "config"),
            "metrics.tokens: \(client.displayURL) is VictoriaMetrics, which does not store native histograms: it holds "
                + "agentgateway targets (\(builds.count) \(OnlineHints.buildInfo) series, e.g. "
                + "\(OnlineHints.printable(UsageAccumulator.identity(example)))) but no \(config.metrics.tokens) series, "
                + "as a gateway with `histograms: native` leaves it. Set agentgateway's `histograms:` to `classic` (the "
                + "default) or `both`, so that it also exports the classic `_sum`, `_count` and `_bucket` series of "
                + "\(name), or read these gateways from a Prometheus with --enable-feature=native-histograms")
    }
}
