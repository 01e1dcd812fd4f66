import ChargebackModel
import Foundation

/// Cuts a counter's series into batches that are summarised, planned and read raw one after
/// another, so a run holds one batch's summaries and answers at a time, not every series' at once.
///
/// A counter with at most ``seriesPerBatch`` series (by the lookback's count) is one batch, its
/// own selector. A larger one is cut by the values of a label (the first of the split labels with
/// two or more values: a `--group-by` label such as `user_id`, else the scrape target): the series
/// without the label, then the label's values in consecutive groups by regex, each group about
/// ``seriesPerBatch`` series if the series spread evenly over the values, and its matcher within
/// ``maxMatcherBytes`` (VictoriaMetrics refuses a query longer than `-search.maxQueryLen`, 16 KiB).
///
/// The values come from `/api/v1/label/<name>/values` over the read range, across all series (a
/// `match[]` would meet the series limit), so every series with a sample in the range is in a
/// batch. A series born after that lookup could fall in none: a period not over yet (whose last
/// hour is still being written) is therefore one batch.
struct SeriesBatches {
    let client: any MetricsBackend
    /// Labels to cut by, in order (``SeriesLookup/splitLabels(_:)``).
    let splitLabels: [String]
    var seriesPerBatch = SeriesBatches.defaultSeriesPerBatch

    /// A batch's summaries and their answers take about 10 KB per series.
    static let defaultSeriesPerBatch = 5_000
    static let maxMatcherBytes = 6_000

    /// The batches' selectors, and the label value lookups answered (`done` is called with each).
    /// - Parameter series: how many series the counter has, as far as is known (the lookback's).
    func selectors(
        _ selector: String, series: Int, start: Date, end: Date, done: (QueryRecord) -> Void
    ) async throws -> [String] {
        guard series > seriesPerBatch else { return [selector] }
        for label in splitLabels {
            // A lookup the backend refuses (e.g. VictoriaMetrics' `-search.maxTagValues`) only
            // costs the batching: the next label, or one batch.
            guard let found = try? await client.labelValues(label, start: start, end: end) else { continue }
            let values = found.sorted()
            done(.labelValues(label, start: start, end: end, values: values.count))
            guard values.count > 1 else { continue }
            let perBatch = max(1, Int((Double(seriesPerBatch) * Double(values.count) / Double(series)).rounded(.down)))
            return [SeriesLookup.narrow(selector, [label + "=" + PromQLLiteral.string("")])]
                + Self.groups(values, perBatch: perBatch).map {
                    SeriesLookup.narrow(selector, [label + "=~" + PromQLLiteral.string($0)])
                }
        }
        return [selector]
    }

    /// `values` in order, as alternations of at most `perBatch` literal values and
    /// ``maxMatcherBytes`` each.
    static func groups(_ values: [String], perBatch: Int) -> [String] {
        var groups: [String] = []
        var current: [String] = []
        var bytes = 0
        for value in values {
            let literal = PromQLLiteral.literalRegex(value)
            if !current.isEmpty, current.count >= perBatch || bytes + literal.utf8.count + 1 > maxMatcherBytes {
                groups.append(PromQLLiteral.alternation(current))
                (current, bytes) = ([], 0)
            }
            current.append(literal)
            bytes += literal.utf8.count + 1
        }
        if !current.isEmpty { groups.append(PromQLLiteral.alternation(current)) }
        return groups
    }
}
