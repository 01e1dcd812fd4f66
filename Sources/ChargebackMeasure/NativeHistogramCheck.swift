import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// agentgateway with `histograms: native`, scraped by a Prometheus with native histograms enabled,
/// stores its token histogram only as a native histogram: the series carry the histogram's own
/// name and no `_sum`, `_count` or `_bucket` series exist. Reading them exactly would need every
/// raw histogram sample (`histogram_sum` over a rate or a range is extrapolated or sampled), so the
/// run stops instead and says what to change.
package enum NativeHistogramCheck {
    /// The histogram's name when `metric` is a histogram part (`…_sum` or `…_count`).
    static func histogramName(of metric: String) -> String? {
        for suffix in ["_sum", "_count"] where metric.hasSuffix(suffix) && metric.count > suffix.count {
            return String(metric.dropLast(suffix.count))
        }
        return nil
    }

    /// Throws when the histogram behind `config.metrics.tokens` has series of its own name in
    /// `[from, to]` (a classic histogram has none: only its `_sum`, `_count` and `_bucket`). Call it
    /// when the configured counter has no series.
    /// - Throws: ``InputError`` on the config file naming the metric, a series and what to change (exit 64).
    package static func check(config: ChargebackConfig, client: any MetricsBackend, from: Date, to: Date) async throws {
        guard let name = histogramName(of: config.metrics.tokens) else { return }
        let found = try await client.series(config.metrics.selector(for: name), start: from, end: to)
        guard let example = found.first else { return }
        throw InputError(
            file: config.filePath(role: "config"),
            "metrics.tokens: \(name) is a native histogram at \(client.displayURL) (\(found.count) series, e.g. "
                + "\(OnlineHints.printable(UsageAccumulator.identity(example)))): it has no "
                + "\(config.metrics.tokens) series, and chargeback reads only classic histograms. Set agentgateway's "
                + "`histograms:` to `classic` (the default) or `both`, so that it exports the classic `_sum`, `_count` "
                + "and `_bucket` series; with `both`, a Prometheus that has native histograms enabled keeps the classic "
                + "series only with `scrape_classic_histograms: true` on the scrape job (Prometheus 2.45 or later)")
    }
}
