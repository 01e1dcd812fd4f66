import Foundation

/// agentgateway with `histograms: native` exports its token histogram only as a native histogram
/// (through the Prometheus protobuf format): no `_sum`, `_count` or `_bucket` series exist, and a
/// report would read nothing. When the configured `_sum` counter has no series but a series of the
/// histogram's own name does, the run stops with a message that says what to change.
enum NativeHistogramCheck {
    /// The histogram's name when `metric` is a histogram part (`…_sum` or `…_count`).
    static func histogramName(of metric: String) -> String? {
        for suffix in ["_sum", "_count"] where metric.hasSuffix(suffix) && metric.count > suffix.count {
            return String(metric.dropLast(suffix.count))
        }
        return nil
    }

    /// Throws when the histogram behind `config.metrics.tokens` exists as a native histogram.
    /// - Throws: ``InputError`` naming the metric, the setting and what to change (exit 64).
    static func check(config: ChargebackConfig, client: PrometheusClient, from: Date, to: Date) async throws {
        guard let name = histogramName(of: config.metrics.tokens) else { return }
        let found = try await client.series(config.metrics.selector(for: name), start: from, end: to)
        guard let example = found.first else { return }
        throw InputError(
            file: nil,
            "\(name) is a native histogram at \(client.displayURL) (e.g. "
                + "\(UsageAccumulator.identity(example))): it has no \(config.metrics.tokens) series to read. Set "
                + "agentgateway's `histograms:` to `classic` (the default) or `both`, so that it exports the classic "
                + "`_sum`, `_count` and `_bucket` series; with `both`, a Prometheus that has native histograms enabled "
                + "keeps them only with `scrape_classic_histograms: true` on the scrape job (Prometheus 2.45 or later)")
    }
}
