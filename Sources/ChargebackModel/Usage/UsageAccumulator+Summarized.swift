import Foundation

/// The hours the server-side summaries settle, added without their samples.
extension UsageAccumulator {
    /// One hour that server-side summaries settled (``addSummarized(series:hours:)``).
    public struct SummarizedHour: Sendable {
        /// The period's hour bucket, or `nil` for an hour outside the period.
        public let bucket: Int?
        /// Whether the hour lies after the period end.
        public let afterEnd: Bool
        /// The values of the last samples in this hour and the one before (no reset or gap between).
        public let last: Double
        public let previousLast: Double
        /// The hour's sample count.
        public let samples: Int

        public init(bucket: Int?, afterEnd: Bool, last: Double, previousLast: Double, samples: Int) {
            (self.bucket, self.afterEnd, self.last, self.previousLast, self.samples) =
                (bucket, afterEnd, last, previousLast, samples)
        }
    }

    /// Adds the hours of one series that server-side summaries settled, in hour order: the series'
    /// entry and rows are looked up once for all of them.
    public mutating func addSummarized(
        series labels: [String: String], identity known: String? = nil, hours: [SummarizedHour]
    ) {
        guard !hours.isEmpty else { return }
        var (identity, tracked) = entry(for: labels, identity: known)
        let count = buckets.hourCount
        var samplesRow = seriesSamples.removeValue(forKey: identity) ?? []
        var lastRow = hourLast.removeValue(forKey: identity) ?? []
        var ownRow = seriesHourly.removeValue(forKey: identity) ?? []
        var keyRow = hourly.removeValue(forKey: tracked.key) ?? []
        for settled in hours {
            if settled.afterEnd { tracked.earlier.seenAfterEnd = true }
            let summedEnd =
                settled.bucket.map { buckets.hourEndMillis($0) } ?? (settled.afterEnd ? .max : buckets.startMillis)
            tracked.earlier.summedThrough = max(tracked.earlier.summedThrough ?? summedEnd, summedEnd)
            guard let hour = settled.bucket else { continue }
            let span = (buckets.hourStarts[hour] * 1000, buckets.hourEndMillis(hour))
            let known = tracked.earlier.summedInPeriod ?? span
            tracked.earlier.summedInPeriod = (min(known.from, span.0), max(known.to, span.1))
            if settled.samples > 0 {
                sampledHours[hour] = true
                if samplesRow.isEmpty { samplesRow = Array(repeating: 0, count: count) }
                samplesRow[hour] += settled.samples
            }
            hourSamples[hour] += settled.samples
            if lastRow.isEmpty { lastRow = Array(repeating: -1, count: count) }
            lastRow[hour] = Int64((settled.last * scale).rounded())
            let increase = Int64((settled.last * scale).rounded()) - Int64((settled.previousLast * scale).rounded())
            tracked.earlier.samples += settled.samples
            // A summed hour is followed by samples in the next hour, or it ends the data: either
            // way the series has not stopped before the hour's end.
            let hourEnd = buckets.hourEndMillis(hour)
            tracked.earlier.lastInPeriod = max(tracked.earlier.lastInPeriod ?? hourEnd, hourEnd)
            if increase > 0 {
                if keyRow.isEmpty { keyRow = Array(repeating: 0, count: count) }
                keyRow[hour] += increase
                if ownRow.isEmpty { ownRow = Array(repeating: 0, count: count) }
                ownRow[hour] += increase
            }
        }
        if !samplesRow.isEmpty { seriesSamples[identity] = samplesRow }
        if !lastRow.isEmpty { hourLast[identity] = lastRow }
        if !ownRow.isEmpty { seriesHourly[identity] = ownRow }
        if !keyRow.isEmpty { hourly[tracked.key] = keyRow }
        trackers[identity] = tracked
    }
}
