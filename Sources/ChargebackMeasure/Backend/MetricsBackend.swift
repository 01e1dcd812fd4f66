import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// What the fetch asks of a Prometheus-API backend: instant queries, range queries and series
/// lookups. ``PrometheusClient`` asks a server over HTTP; ``InMemoryBackend`` answers from samples
/// held in memory, so a whole report runs in a unit test without a server.
public protocol MetricsBackend: Sendable {
    /// How the counters are read: the fetch plan, the concurrency, the raw window length.
    var settings: PrometheusSettings { get }
    /// The backend's URL for messages and the manifest (never holds credentials).
    var displayURL: String { get }
    /// Whether the answers so far came from VictoriaMetrics (see ``BackendKind``).
    var isVictoriaMetrics: Bool { get }
    /// What was fetched so far: requests, series, samples, bytes, time waiting.
    var statistics: FetchStats.Snapshot { get }
    /// `/api/v1/query`: an instant query, e.g. a range-vector selector returning raw samples.
    func query(_ promql: String, at time: Date) async throws -> QueryResult
    /// `/api/v1/query_range`, evaluated at `start`, `start + step`, … up to `end` inclusive.
    func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int) async throws -> QueryResult
    /// `/api/v1/series`: label sets of the series matching `selector` in `[start, end]`.
    func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]]
    /// `/api/v1/label/<name>/values` in `[start, end]`, over all series (no `match[]`: on
    /// VictoriaMetrics a matcher would meet the same series limit the caller is working around).
    func labelValues(_ name: String, start: Date, end: Date) async throws -> [String]
}

extension MetricsBackend {
    /// No label index: a backend that never refuses a series lookup needs none.
    public func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] { [] }
}
