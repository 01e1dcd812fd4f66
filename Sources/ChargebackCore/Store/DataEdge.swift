import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// Where a collect continues when the backend's data starts inside the stretch it measures
/// (retention deleted the samples before, after a pause in collecting).
///
/// The stored hours before the edge, and the one it falls in (its samples are only partly left),
/// stay as they were measured, never rewritten from the samples that are left. The measurement
/// continues at the end of the latest stored hour that ends at or before the end of the edge's
/// hour, every token series from its stored state there
/// (``SeriesState``): the first sample left of a running counter is then an ordinary interval, or
/// a gap shared by time, after the last one stored, not a baseline that loses what the deleted
/// samples had counted, nor a whole past counted as usage.
struct DataEdge {
    /// The hour the measurement continues at (where the stored hours before the edge end).
    let continueAt: Hour
    let states: [SeriesState]
    let note: Diagnostic

    /// - Parameters:
    ///   - dataStart: where the backend's data starts (ms): its first sample, or the start of the
    ///     hour the summaries first saw samples in.
    ///   - before: the end of the stretch being measured.
    /// - Returns: `nil` when no stored hour ends at or before the edge: the store begins with the data.
    static func find(dataStart: Int64, before end: Hour, in store: any UsageStore) async throws -> DataEdge? {
        let edge = Hour(containingMillis: dataStart).next
        let epoch = Hour(startSeconds: 0)
        guard let last = try await store.storedHours(in: epoch..<max(epoch, min(edge, end))).last else { return nil }
        let continueAt = last.start.next
        let states = try await store.states(atEndOf: last.start)
        let note = Diagnostic.warning(
            "the backend holds no samples before \(DateText.utc(Date(millis: dataStart))): the stored hours before "
                + "\(continueAt) are kept as stored, and "
                + "\(states.count) series continue from their counter states stored there")
        return DataEdge(continueAt: continueAt, states: states, note: note)
    }
}
