import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// A backend that answers from series held in memory, the way Prometheus 2.x evaluates the
/// queries the fetch generates: series lookups, raw range selectors (`[start, end]` closed, as in
/// Prometheus 2), instant selectors (the last sample of the 5 minutes before), and
/// `count_over_time`, `last_over_time` and `min_over_time` as instant or range queries (the metric
/// name dropped). Any other expression, such as the dashboard's `increase()`, answers an empty
/// vector with a warning saying so. For tests of the whole pipeline without a server.
public final class InMemoryBackend: MetricsBackend {
    /// One series: its labels (with `__name__`) and its samples, in time order (milliseconds).
    public struct Series: Sendable {
        public let labels: [String: String]
        public let samples: [(Int64, Double)]
        public init(labels: [String: String], samples: [(Int64, Double)]) {
            self.labels = labels
            self.samples = samples
        }
    }

    public let settings: PrometheusSettings
    public let isVictoriaMetrics = false
    private let all: [Series]
    private let stats = FetchStats()

    /// - Parameter settings: the fetch settings (the URL only names the backend in the files).
    public init(series: [Series], settings: PrometheusSettings) {
        all = series
        self.settings = settings
    }

    public var displayURL: String { settings.url.absoluteString }
    public var statistics: FetchStats.Snapshot { stats.snapshot() }

    public func query(_ promql: String, at time: Date) async throws -> QueryResult {
        answer(promql, at: [time.millis])
    }

    public func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int) async throws -> QueryResult {
        let step = max(stepSeconds, 1) * 1000
        let (first, last): (Int64, Int64) = (start.millis, end.millis)
        return answer(promql, at: Array(stride(from: first, through: last, by: step)))
    }

    public func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
        stats.record(request: .zero, bytes: 0)
        guard let expression = SelectorExpression(selector) else { return [] }
        return all.filter { series in
            expression.selects(series.labels)
                && series.samples.contains { $0.0 >= start.millis && $0.0 <= end.millis }
        }.map(\.labels)
    }

    public func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] {
        stats.record(request: .zero, bytes: 0)
        let held = all.filter { series in series.samples.contains { $0.0 >= start.millis && $0.0 <= end.millis } }
        return Set(held.compactMap { $0.labels[name] }.filter { !$0.isEmpty }).sorted()
    }

    /// The expression evaluated at each of `times`; the points of a series joined across them.
    private func answer(_ promql: String, at times: [Int64]) -> QueryResult {
        stats.record(request: .zero, bytes: 0)
        guard let expression = SelectorExpression(promql) else {
            return QueryResult(
                series: [], warnings: ["the in-memory backend evaluates selectors only, not \(promql)"], bytes: 0)
        }
        var result: [SeriesSamples] = []
        for series in all where expression.selects(series.labels) {
            var points: [(Int64, Double)] = []
            for time in times { points += evaluate(expression, series.samples, at: time) }
            guard !points.isEmpty else { continue }
            var labels = series.labels
            if expression.function != nil { labels["__name__"] = nil }
            result.append(SeriesSamples(labels: labels, samples: points))
        }
        stats.record(series: result.count, samples: result.reduce(0) { $0 + $1.samples.count })
        return QueryResult(series: result, warnings: [], bytes: 0)
    }

    /// The points one series gives at `time`: raw samples for a range selector, one point otherwise.
    private func evaluate(_ expression: SelectorExpression, _ samples: [(Int64, Double)], at time: Int64)
        -> [(Int64, Double)]
    {
        let window = expression.rangeMillis ?? 300_000
        let inside = samples.filter { $0.0 >= time - window && $0.0 <= time }
        guard let last = inside.last else { return [] }
        switch expression.function {
        case nil: return expression.rangeMillis == nil ? [(time, last.1)] : inside
        case .count: return [(time, Double(inside.count))]
        case .last: return [(time, last.1)]
        case .min: return [(time, inside.map(\.1).min()!)]
        }
    }
}
