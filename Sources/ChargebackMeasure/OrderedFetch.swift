import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// Runs `count` fetches with at most `width` in flight and hands their results to `ingest`
/// strictly in index order, so that per-series samples are fed in time order. A finished fetch
/// waits for the ones before it; a new one starts only when one is ingested, so at most `width`
/// results are held at once.
package func orderedFetch<Result: Sendable>(
    count: Int, width: Int, fetch: @escaping @Sendable (Int) async throws -> Result,
    ingest: (Int, Result) throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var launched = 0
        var waiting: [Int: Result] = [:]
        var next = 0
        func launch() {
            let index = launched
            group.addTask { (index, try await fetch(index)) }
            launched += 1
        }
        while launched < min(max(1, width), count) { launch() }
        while let (index, result) = try await group.next() {
            waiting[index] = result
            while let ready = waiting.removeValue(forKey: next) {
                try ingest(next, ready)
                next += 1
                if launched < count { launch() }
            }
        }
    }
}
