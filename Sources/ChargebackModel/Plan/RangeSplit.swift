import Foundation

/// Splits a `query_range` request so that no part asks for more points per series than
/// Prometheus answers (11,000).
///
/// `query_range` evaluates at `start`, `start + step`, … up to and including `end`. The parts
/// evaluate at exactly those instants, each once: part `i` holds evaluation steps
/// `i × maxPoints ..< (i + 1) × maxPoints`, so joining the parts gives the unsplit answer.
public enum RangeSplit {
    /// Prometheus refuses a range query with more points per series than this.
    public static let maxPointsPerSeries = 11_000

    /// The number of points `query_range` returns per (gap-free) series.
    public static func points(start: Date, end: Date, stepSeconds: Int) -> Int {
        guard stepSeconds > 0, end >= start else { return 0 }
        return Int((end.timeIntervalSince(start) / Double(stepSeconds)).rounded(.down)) + 1
    }

    /// The parts' `(start, end)`, both inclusive, in time order.
    /// - Parameter maxPoints: at most this many evaluation steps per part (at least 1).
    public static func windows(start: Date, end: Date, stepSeconds: Int, maxPoints: Int = maxPointsPerSeries)
        -> [(start: Date, end: Date)]
    {
        let total = points(start: start, end: end, stepSeconds: stepSeconds)
        guard total > 0 else { return [(start, end)] }
        let size = max(maxPoints, 1)
        let step = Double(stepSeconds)
        return stride(from: 0, to: total, by: size).map { first in
            let last = first + min(size, total - first) - 1
            return (start.addingTimeInterval(Double(first) * step), start.addingTimeInterval(Double(last) * step))
        }
    }
}
