import Foundation

/// The whole hours of a fetch range, aligned to the period start, that server-side hourly
/// summaries describe (``SummaryQuery``), and the partial hour after them, if any.
///
/// Hour `g` is `[start + g h, start + (g+1) h)`. What a sample shows was made before it, so the
/// hour's summary covers the samples in `(start + g h, start + (g+1) h]`: it is evaluated at the
/// hour's end over a range 1 ms short of an hour. Ranges are closed on the right everywhere; on the
/// left Prometheus 2 is closed, so it sees exactly those samples, and VictoriaMetrics (open) also
/// misses one 1 ms after the hour start, which only makes that hour irregular and read raw.
public struct SummaryGrid: Sendable, Equatable {
    /// Start of the fetch range (period start − lookback), ms since 1970.
    public let startMillis: Int64
    /// End of the fetch range (period end + lookahead, or now), ms since 1970.
    public let endMillis: Int64
    /// Whole hours in the range; the rest (`tailStartMillis..<endMillis`) is the tail.
    public let hourCount: Int
    /// The grid hour where the period starts.
    public let periodStartHour: Int
    public let buckets: Buckets

    public init(buckets: Buckets, lookbackSeconds: Int, rangeEnd: Date) {
        self.buckets = buckets
        periodStartHour = lookbackSeconds / Int(Hour.seconds)
        startMillis = buckets.startMillis - Int64(periodStartHour) * Hour.millis
        endMillis = max(startMillis, Int64((rangeEnd.timeIntervalSince1970 * 1000).rounded(.down)))
        hourCount = Int((endMillis - startMillis) / Hour.millis)
    }

    public func hourStartMillis(_ hour: Int) -> Int64 { startMillis + Int64(hour) * Hour.millis }
    public func hourEndMillis(_ hour: Int) -> Int64 { hourStartMillis(hour + 1) }
    public var tailStartMillis: Int64 { hourStartMillis(hourCount) }

    /// Whether the partial hour after the grid holds part of the period (a period not over yet).
    public var tailInPeriod: Bool { tailStartMillis < endMillis && tailStartMillis < buckets.endMillis }

    /// The period's hour bucket that grid hour `hour` is, or `nil` when the hour lies outside the
    /// period or straddles its end (a period end off the hour grid).
    public func bucket(ofHour hour: Int) -> Int? {
        let start = hourStartMillis(hour)
        guard start >= buckets.startMillis, hourEndMillis(hour) <= buckets.endMillis else { return nil }
        return buckets.hourIndex(millis: start)
    }

    /// Whether grid hour `hour` overlaps the period.
    public func overlapsPeriod(_ hour: Int) -> Bool {
        hourStartMillis(hour) < buckets.endMillis && hourEndMillis(hour) > buckets.startMillis
    }

    /// Whether grid hour `hour` lies wholly after the period end.
    public func isAfterPeriod(_ hour: Int) -> Bool { hourStartMillis(hour) >= buckets.endMillis }
}
