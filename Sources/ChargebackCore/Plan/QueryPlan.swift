import Foundation

/// One raw-sample query: a range-vector selector evaluated so it returns exactly the samples in
/// `[windowStart, windowEnd)`.
public struct RawSampleQuery: Sendable, Equatable {
    public let promql: String
    /// Evaluation time: `windowEnd` − 1 ms (range selectors are open on the left, closed on the right).
    public let evaluationTime: Date
    public let windowStart: Date
    public let windowEnd: Date
}

/// The queries a report needs, computed from the config and the period before any network call.
public struct QueryPlan: Sendable, Equatable {
    public let period: Period
    public let buckets: Buckets
    /// Raw samples of the token counter, in time order: a lookback window before the period
    /// (to find each series' last value before the start), the period in chunks, and a lookahead
    /// window after it (to share increases across a gap at the end).
    public let tokenQueries: [RawSampleQuery]
    /// Raw samples of the gateway's own cost counter, when configured; same windows.
    public let costQueries: [RawSampleQuery]
    /// The `increase()` a dashboard would show for the whole period, summed by gateway and token type.
    public let dashboardIncreaseQuery: String

    /// Builds the plan.
    /// - Parameters:
    ///   - now: queries never reach past it (a partial period has no future data).
    ///   - lookbackSeconds: how far before the start to look for a series' previous sample.
    public init(config: ChargebackConfig, period: Period, now: Date, lookbackSeconds: Int = 3600,
                lookaheadSeconds: Int = 3600) {
        self.period = period
        buckets = Buckets(period: period)
        let chunk = TimeInterval(config.prometheus.chunkSeconds)
        var windows: [(Date, Date)] = [(period.start.addingTimeInterval(-TimeInterval(lookbackSeconds)), period.start)]
        var cursor = period.start
        let last = min(period.end, now)
        while cursor < last {
            let next = min(cursor.addingTimeInterval(chunk), last)
            windows.append((cursor, next))
            cursor = next
        }
        let afterEnd = min(period.end.addingTimeInterval(TimeInterval(lookaheadSeconds)), now)
        if afterEnd > period.end { windows.append((period.end, afterEnd)) }

        func queries(metric: String) -> [RawSampleQuery] {
            let selector = config.metrics.selector(for: metric)
            return windows.map { start, end in
                let milliseconds = Int64((end.timeIntervalSince(start) * 1000).rounded())
                return RawSampleQuery(promql: "\(selector)[\(milliseconds)ms]",
                                      evaluationTime: end.addingTimeInterval(-0.001),
                                      windowStart: start, windowEnd: end)
            }
        }
        tokenQueries = queries(metric: config.metrics.tokens)
        costQueries = config.metrics.cost.map { queries(metric: $0) } ?? []
        let labels = config.metrics.labels
        let seconds = Int(period.end.timeIntervalSince(period.start))
        dashboardIncreaseQuery = "sum by (\(labels.gateway), \(labels.tokenType)) "
            + "(increase(\(config.metrics.selector(for: config.metrics.tokens))[\(DurationText.text(seconds: seconds))]))"
    }
}
