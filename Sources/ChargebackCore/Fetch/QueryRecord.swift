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
}
