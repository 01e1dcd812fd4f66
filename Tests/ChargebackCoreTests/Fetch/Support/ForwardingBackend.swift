import Foundation

@testable import ChargebackConfig
@testable import ChargebackMeasure
@testable import ChargebackNetwork

/// An ``InMemoryBackend`` behind a VictoriaMetrics-like front: every call is passed on; a test
/// subclasses it to refuse or count the lookups it is about.
class ForwardingBackend: MetricsBackend, @unchecked Sendable {
    let inner: InMemoryBackend

    init(_ inner: InMemoryBackend) { self.inner = inner }

    var settings: PrometheusSettings { inner.settings }
    var displayURL: String { inner.displayURL }
    var isVictoriaMetrics: Bool { true }
    var statistics: FetchStats.Snapshot { inner.statistics }
    func query(_ promql: String, at time: Date) async throws -> QueryResult {
        try await inner.query(promql, at: time)
    }
    func queryRange(_ promql: String, start: Date, end: Date, stepSeconds: Int) async throws -> QueryResult {
        try await inner.queryRange(promql, start: start, end: end, stepSeconds: stepSeconds)
    }
    func series(_ selector: String, start: Date, end: Date) async throws -> [[String: String]] {
        try await inner.series(selector, start: start, end: end)
    }
    func labelValues(_ name: String, start: Date, end: Date) async throws -> [String] {
        try await inner.labelValues(name, start: start, end: end)
    }
}
