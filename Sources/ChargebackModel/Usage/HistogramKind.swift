/// The label the counter math adds to the series of a native histogram (``UsageAccumulator/seriesTag``),
/// so they are told apart from the classic `_sum` series of the same labels, and ignored where the
/// counter a series reads is named (``CounterContinuation``, ``DoubleScrape``): either kind is the
/// same counter. Reserved: no scraped label starts with `__`.
package enum HistogramKind {
    package static let label = "__histogram__"
    package static let native = "native"

    /// `labels` without the kind label.
    static func untagged(_ labels: [String: String]) -> [String: String] {
        labels[label] == nil ? labels : labels.filter { $0.key != label }
    }
}
