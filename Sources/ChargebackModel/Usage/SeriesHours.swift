/// Server-side summaries of one counter series, one entry per hour of a ``SummaryGrid``:
/// how many samples the hour holds, the last and smallest of them, and the resets between them.
public struct SeriesHours: Sendable {
    public let labels: [String: String]
    public var count: [Int32]
    public var last: [Double]
    public var minimum: [Double]
    public var resets: [Int32]

    public init(labels: [String: String], hours: Int) {
        self.labels = labels
        count = Array(repeating: 0, count: hours)
        last = Array(repeating: .nan, count: hours)
        minimum = Array(repeating: .nan, count: hours)
        resets = Array(repeating: 0, count: hours)
    }

    /// The series' usual samples per hour: the most frequent non-zero count (the larger on a tie).
    public var usualCount: Int32 {
        var frequency: [Int32: Int] = [:]
        for value in count where value > 0 { frequency[value, default: 0] += 1 }
        return frequency.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key ?? 0
    }
}
