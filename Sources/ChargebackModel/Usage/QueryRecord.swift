import Foundation

/// A query as it was run, for the manifest and `--verbose`.
public struct QueryRecord: Sendable, Equatable {
    public let endpoint: String
    public let promql: String
    /// For instant queries the evaluation time; for range-vector selectors the window too.
    public let time: Date
    public let windowStart: Date?
    public let windowEnd: Date?
    public let series: Int
    public let samples: Int

    package init(
        endpoint: String, promql: String, time: Date, windowStart: Date?, windowEnd: Date?, series: Int, samples: Int
    ) {
        self.endpoint = endpoint
        self.promql = promql
        self.time = time
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.series = series
        self.samples = samples
    }
}

extension QueryRecord {
    /// A `/api/v1/label/<name>/values` lookup over `[start, end]` that found `values` values.
    package static func labelValues(_ name: String, start: Date, end: Date, values: Int) -> QueryRecord {
        QueryRecord(
            endpoint: "/api/v1/label/\(name)/values", promql: name, time: end, windowStart: start, windowEnd: end,
            series: 0, samples: values)
    }
}
