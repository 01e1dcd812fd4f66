import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The counter state of every token series at each measured hour's end (``SeriesState``): its
/// last sample at or before that instant, exactly, or nothing when that sample is not known.
///
/// Two sources, each exact where it answers:
/// - the samples the measurement read raw: every hour the summaries could not settle, so every
///   hour of a series with a gap, a reset, a start or a stop, and the hour before it;
/// - for the hours summed server-side, `timestamp(m)` and `m` evaluated at the hour's end, which
///   return the last sample within the backend's lookback (5 minutes on Prometheus) before it.
/// A series with samples in an hour whose last one neither source saw (a scrape interval longer
/// than the lookback) has no state at that hour's end, and none after until one is seen again;
/// nor has a series silent for longer than ``QueryPlan/edgeSeconds``.
struct HourEndStates {
    /// Per hour (at its end), the last sample within the lookback of each series, by identity.
    let points: [Hour: [String: SeriesState]]

    /// Queries `selector` at the ends of `hours` (one `query_range`) and
    /// `timestamp(selector)` at each of them (instant queries: Prometheus 2.42 answers a
    /// `query_range` of `timestamp()` about ten times slower than the same instants one by one).
    static func query(client: any MetricsBackend, selector: String, hours: Range<Hour>) async throws
        -> HourEndStates
    {
        let measured = Array(hours)
        guard let first = measured.first, let last = measured.last else { return HourEndStates(points: [:]) }
        let values = try await client.queryRange(
            selector, start: first.endDate, end: last.endDate, stepSeconds: Int(Hour.seconds))
        var valueAt: [String: [Int64: Double]] = [:]
        for series in values.series {
            let identity = UsageAccumulator.identity(series.labels)
            for (millis, value) in series.samples { valueAt[identity, default: [:]][millis] = value }
        }
        var points: [Hour: [String: SeriesState]] = [:]
        try await orderedFetch(count: measured.count, width: client.settings.concurrency) { index in
            try await client.query("timestamp(\(selector))", at: measured[index].endDate)
        } ingest: { index, times in
            let hour = measured[index]
            for series in times.series {
                let identity = UsageAccumulator.identity(series.labels)
                guard let seconds = series.samples.first?.1, seconds.isFinite,
                    let value = valueAt[identity]?[hour.endMillis], value.isFinite, value >= 0, value < 9e18
                else { continue }
                let sampleMillis = Int64((seconds * 1000).rounded())
                guard sampleMillis <= hour.endMillis else { continue }
                points[hour, default: [:]][identity] = SeriesState(
                    identity: identity, millis: sampleMillis, value: Int64(value.rounded()))
            }
        }
        return HourEndStates(points: points)
    }

    /// The states at the end of each bucket hour from `firstHour` on, by hour start: every series
    /// is followed from the measurement's first hour, so a series silent at an hour's end carries
    /// the last sample it had before, for at most ``QueryPlan/edgeSeconds`` (every run reads that
    /// far before the hours it writes, so a state never depends on where a run began).
    func states(_ measured: MeasuredUsage, buckets: Buckets, firstHour: Int) -> [Hour: [SeriesState]] {
        var byHour: [Hour: [SeriesState]] = [:]
        let identities = Set(measured.samplesBySeries.keys).union(measured.lastFedInHour.keys)
        for identity in identities.sorted() {
            let fed = measured.lastFedInHour[identity] ?? [:]
            let counts = measured.samplesBySeries[identity]
            var carried: SeriesState?
            for hour in 0..<buckets.hourCount {
                let utcHour = Hour(startSeconds: buckets.hourStarts[hour])
                let end = buckets.hourEndMillis(hour)
                let known = [fed[hour], points[utcHour]?[identity]].compactMap { $0 }.max { $0.millis < $1.millis }
                if let known {
                    carried = known
                } else if (counts?[hour] ?? 0) > 0 {
                    carried = nil  // samples whose last one is not known
                }
                if hour >= firstHour, let carried, carried.millis > end - Int64(QueryPlan.edgeSeconds) * 1000 {
                    byHour[utcHour, default: []].append(carried)
                }
            }
        }
        return byHour
    }
}
