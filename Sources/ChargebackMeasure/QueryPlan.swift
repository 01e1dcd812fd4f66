import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
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

/// One `query_range` of hourly summaries over grid hours `firstHour...lastHour`: one function,
/// or (``combined``) every function at once with VictoriaMetrics' `aggr_over_time`, whose answer
/// names each series' function in its ``rollupLabel``.
public struct SummaryQuery: Sendable, Equatable {
    public enum Function: String, Sendable, CaseIterable {
        case count = "count_over_time"
        case last = "last_over_time"
        case minimum = "min_over_time"
        case resets
    }
    /// The label `aggr_over_time` adds to name the function of each series it returns.
    public static let rollupLabel = "rollup"
    /// The function, or `nil` for a combined query.
    public let function: Function?
    public let promql: String
    public let firstHour: Int
    public let lastHour: Int
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
    /// The whole hours of the fetch range, for the hourly summaries (``FetchPlan/summaries``).
    public let grid: SummaryGrid
    /// The series selectors of the token counter and of the gateway's cost counter (if configured).
    public let tokenSelector: String
    public let costSelector: String?
    /// Length of one raw-sample window, seconds.
    public let chunkSeconds: Int

    /// How far before and after the period raw samples are read: a series' last sample before the
    /// start (and first after the end) must be seen to count, or share across a gap, exactly the
    /// increase at the edges. A series with no sample this close before the start counts from zero.
    public static let edgeSeconds = 26 * Int(Hour.seconds)

    /// The window by which ``FarEdgeProbe`` steps back, from the lookback start towards the oldest
    /// data, for the last sample of a series silent through the whole lookback and seen after it:
    /// such a series continues across the gap instead of counting from zero.
    public static let farEdgeSeconds = 7 * 86400

    /// Builds the plan.
    /// - Parameters:
    ///   - now: queries never reach past it (a partial period has no future data).
    ///   - lookbackSeconds: how far before the start to look for a series' previous sample.
    ///   - lookaheadSeconds: how far after the end to look for the sample that closes a gap.
    public init(
        config: ChargebackConfig, period: Period, now: Date, lookbackSeconds: Int = QueryPlan.edgeSeconds,
        lookaheadSeconds: Int = QueryPlan.edgeSeconds
    ) {
        self.period = period
        buckets = Buckets(period: period)
        let chunk = config.prometheus.chunkSeconds
        chunkSeconds = chunk
        let rangeEnd = min(period.end.addingTimeInterval(TimeInterval(lookaheadSeconds)), now)
        grid = SummaryGrid(buckets: buckets, lookbackSeconds: lookbackSeconds, rangeEnd: rangeEnd)
        tokenSelector = config.metrics.selector(for: config.metrics.tokens)
        costSelector = config.metrics.cost.map { config.metrics.selector(for: $0) }
        // Chunks never straddle the period edges, so each window is wholly before, in or after it.
        func queries(_ selector: String) -> [RawSampleQuery] {
            Self.rawQueries(
                selector, from: period.start.addingTimeInterval(-TimeInterval(lookbackSeconds)),
                to: min(period.start, now), chunkSeconds: chunk)
                + Self.rawQueries(selector, from: period.start, to: min(period.end, now), chunkSeconds: chunk)
                + Self.rawQueries(selector, from: period.end, to: rangeEnd, chunkSeconds: chunk)
        }
        tokenQueries = queries(tokenSelector)
        costQueries = costSelector.map(queries) ?? []
        let labels = config.metrics.labels
        let seconds = Int(period.end.timeIntervalSince(period.start))
        dashboardIncreaseQuery =
            "sum by (\(labels.gateway), \(labels.tokenType)) "
            + "(increase(\(config.metrics.selector(for: config.metrics.tokens))[\(DurationText.text(seconds: seconds))]))"
    }

    /// Raw-sample queries of `selector` covering `[from, to)` in windows of at most one chunk.
    public static func rawQueries(_ selector: String, from: Date, to: Date, chunkSeconds: Int) -> [RawSampleQuery] {
        var queries: [RawSampleQuery] = []
        var cursor = from
        while cursor < to {
            let next = min(cursor.addingTimeInterval(TimeInterval(chunkSeconds)), to)
            let milliseconds = Int64((next.timeIntervalSince(cursor) * 1000).rounded())
            queries.append(
                RawSampleQuery(
                    promql: "\(selector)[\(milliseconds)ms]", evaluationTime: next.addingTimeInterval(-0.001),
                    windowStart: cursor, windowEnd: next))
            cursor = next
        }
        return queries
    }

    /// The hourly summaries of `selector` over the grid: one `query_range` per function and
    /// stretch of at most `hoursPerQuery` hours, each point `f(selector[3599999ms])` at an hour's end:
    /// the hour's samples, `(start, end]` (see ``SummaryGrid``). `combined`: one `query_range` per
    /// stretch asking every function (VictoriaMetrics only; it reads the samples once, not four times).
    public func summaryQueries(_ selector: String, hoursPerQuery: Int = 168, combined: Bool = false)
        -> [SummaryQuery]
    {
        let functions = SummaryQuery.Function.allCases
        let names = functions.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        var queries: [SummaryQuery] = []
        var first = 0
        while first < grid.hourCount {
            let last = min(first + hoursPerQuery, grid.hourCount) - 1
            if combined {
                queries.append(
                    SummaryQuery(
                        function: nil, promql: "aggr_over_time((\(names)), \(selector)[3599999ms])", firstHour: first,
                        lastHour: last))
            } else {
                for function in functions {
                    queries.append(
                        SummaryQuery(
                            function: function, promql: "\(function.rawValue)(\(selector)[3599999ms])",
                            firstHour: first, lastHour: last))
                }
            }
            first = last + 1
        }
        return queries
    }
}
