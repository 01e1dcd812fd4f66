import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// agentgateway's token histogram as a native histogram (`histograms: native` or `both`, scraped by
/// a Prometheus with native histograms enabled): one series under the histogram's own name, whose
/// samples each hold the `count`, `sum` and buckets of every observation so far. Its `sum` is the
/// token counter, read exactly like a classic `_sum`: a range selector returns every raw sample
/// (`"histograms": [[t, {"count", "sum", "buckets"}], …]`), and the counter math applies the
/// native counter-reset rule besides the float one (a sample whose `count` is below the one before
/// is a reset too).
///
/// Prometheus 2.42 keeps a series that has no observation yet as a classic histogram (`_sum`,
/// `_count`, `_bucket`) and switches it to native with its first observation, and with `both` (and
/// `scrape_classic_histograms`) it stores both kinds at once. So both kinds are read, each by its
/// own kind, and the native series are told apart in the counter math by ``kindLabel``: a native
/// series that starts where its classic twin stopped continues it, and two kinds read at the same
/// time are one counter scraped twice, counted once.
package enum NativeHistograms {
    /// The label the counter math adds to a native series (``HistogramKind``).
    package static let kindLabel = HistogramKind.label
    package static let kindValue = HistogramKind.native

    /// The native histogram behind `config.metrics.tokens` (`…_sum`), if it names a histogram part.
    static func name(config: ChargebackConfig) -> String? {
        guard config.metrics.tokens.hasSuffix("_sum") else { return nil }
        return NativeHistogramCheck.histogramName(of: config.metrics.tokens)
    }

    /// The series selector of that native histogram, if any.
    package static func selector(config: ChargebackConfig) -> String? {
        name(config: config).map { config.metrics.selector(for: $0) }
    }

    /// What a dashboard of the native histogram shows for `period`, as ``QueryPlan/dashboardIncreaseQuery``
    /// for the classic counter.
    static func dashboardQuery(config: ChargebackConfig, period: Period) -> String? {
        guard let selector = selector(config: config) else { return nil }
        let labels = config.metrics.labels
        let seconds = Int(period.end.timeIntervalSince(period.start))
        return "sum by (\(labels.gateway), \(labels.tokenType)) "
            + "(histogram_sum(increase(\(selector)[\(DurationText.text(seconds: seconds))])))"
    }

    /// The dashboard's figure per gateway and token type from the answers of the classic and the
    /// native query: the larger where both answer (a `both` install shows the same tokens twice; a
    /// classic series still empty shows none).
    static func dashboardFigures(_ answers: [[SeriesSamples]], labels: LabelNames) -> [DashboardFigure] {
        var figures: [[String]: Double] = [:]
        for series in answers.joined() {
            guard let value = series.samples.first?.1, value.isFinite else { continue }
            let key = [series.labels[labels.gateway] ?? "", series.labels[labels.tokenType] ?? ""]
            figures[key] = max(figures[key] ?? value, value)
        }
        return figures.map { DashboardFigure(gateway: $0.key[0], tokenType: $0.key[1], tokens: $0.value) }
            .sorted { ($0.gateway, $0.tokenType) < ($1.gateway, $1.tokenType) }
    }

    /// The raw-sample queries of `queries` (the token counter's) for `selector` instead.
    static func rawQueries(_ queries: [RawSampleQuery], selector: String) -> [RawSampleQuery] {
        queries.map { query in
            let milliseconds = Int64((query.windowEnd.timeIntervalSince(query.windowStart) * 1000).rounded())
            return RawSampleQuery(
                promql: "\(selector)[\(milliseconds)ms]", evaluationTime: query.evaluationTime,
                windowStart: query.windowStart, windowEnd: query.windowEnd)
        }
    }

    /// `[1435781430.781, {"count": "3", "sum": "96", "buckets": […]}]` as (ms, sum, count).
    static func parseSample(_ scanner: inout JSONScanner, path: @autoclosure () -> String) throws -> (
        Int64, Double, Double
    ) {
        guard try scanner.take(UInt8(ascii: "[")) else {
            throw JSONScanner.Failure.shape(path: path(), expected: "an array")
        }
        let millis = try scanner.milliseconds(at: path() + "[0]")
        try scanner.expect(UInt8(ascii: ","))
        var count: Double?
        var sum: Double?
        try scanner.object(at: path() + "[1]") { scanner, key in
            switch key {
            case "count": count = try scanner.sampleValue(at: path() + "[1].count")
            case "sum": sum = try scanner.sampleValue(at: path() + "[1].sum")
            default: try scanner.skipValue()
            }
        }
        try scanner.expect(UInt8(ascii: "]"))
        guard let sum else { throw JSONScanner.Failure.missing(path: path() + "[1]", field: "sum") }
        guard let count else { throw JSONScanner.Failure.missing(path: path() + "[1]", field: "count") }
        return (millis, sum, count)
    }

    /// One series' float and histogram samples in time order (a series can change kind); the
    /// counts of float samples are NaN.
    static func merged(labels: [String: String], floats: [(Int64, Double)], histograms: [(Int64, Double, Double)])
        -> SeriesSamples
    {
        var all = floats.map { ($0.0, $0.1, Double.nan) } + histograms
        if !floats.isEmpty { all.sort { $0.0 < $1.0 } }
        return SeriesSamples(
            labels: labels, samples: all.map { ($0.0, $0.1) }, histogramCounts: all.map(\.2))
    }

}
