import Foundation

/// One raw-sample query: a range-vector selector evaluated at `windowEnd` − 1 ms over
/// `windowEnd − windowStart`, so it returns the samples in `[windowStart, windowEnd)`.
///
/// An instant query of a bare range selector (`m{…}[21600000ms]`) returns the stored samples,
/// with their millisecond timestamps, closed on the right, on every backend we test:
/// - VictoriaMetrics 1.79 serves it from its export path: raw samples in `(t − range, t]`,
///   untouched by `-search.latencyOffset` (which only delays ordinary queries near now) and by
///   its rollup cache. Without `-dedup.minScrapeInterval` it keeps every sample, so a history
///   imported twice returns each timestamp twice.
/// - Prometheus 2.42 selects `[t − range, t]` (closed on the left until Prometheus 3.0), so its
///   window also holds a sample at exactly `windowStart` − 1 ms, the last one of the previous window.
/// Either way no sample at a chunk edge is lost, and ``CounterTracker`` ignores a sample that is
/// not later than the one before it, so a repeat is never counted twice. No backend-specific path
/// (`/api/v1/export`, `query_range`) is needed; the integration tests check both backends for this
/// and for identical reports.
public struct RawSampleQuery: Sendable, Equatable {
    public let promql: String
    /// Evaluation time: `windowEnd` − 1 ms (range selectors are closed on the right).
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
