import Foundation

/// Follows one counter series through time and turns its samples into exact increases.
///
/// The rules (docs/numbers.md): consecutive-sample deltas, a drop means a reset (the new value is the increase), no
/// extrapolation. Hours are half-open, `[start, end)`, and an increase seen at a sample was made
/// before it: a normal interval's increase lands in the hour holding the instant just before its
/// later sample, so a sample exactly on the hour closes the hour before and every interval counts
/// once. A series with no sample before the period counts from zero, its first value landing the
/// same way. An interval longer than `gapFactor` × the series' typical scrape interval is a gap: its
/// increase is shared between the hours (and periods) it spans in proportion to time, except after
/// a reset, when the new value was made since the restart and lands, like a normal interval's, at
/// the gap's end.
package struct CounterTracker {
    private(set) var lastMillis: Int64?
    private var lastValue: Int64 = 0
    /// Set when the tracker continues a series whose earlier samples were summed elsewhere: the
    /// value of its last sample before the first one fed here (see ``init(seed:)``).
    private var seed: Int64?
    private var recentIntervals: [Int64] = []
    private var intervalsSinceEstimate = 0
    /// Median of recent intervals, the series' scrape interval.
    private(set) var typicalInterval: Int64?

    /// The first sample fed to this tracker, wherever it lies.
    private(set) var firstMillis: Int64?
    private(set) var firstValue: Int64 = 0
    /// The increase a series seen for the first time inside the period was counted with: its
    /// first sample's time and value, in that hour. Taken back when the first sample turns out to
    /// sit at the edge of the backend's data (``UsageAccumulator/settleDataEdge(readFromMillis:)``)
    /// or to continue another series' counter (``CounterContinuation``).
    private(set) var countedFromZero: (millis: Int64, hour: Int, tokens: Int64)?
    private(set) var firstInPeriod: Int64?
    private(set) var lastInPeriod: Int64?
    private(set) var samplesInPeriod = 0
    /// Samples the typical interval says are missing inside the period.
    private(set) var missedSamples = 0
    private(set) var resets: [Int64] = []
    private(set) var gaps: [Gap] = []
    private(set) var startedInPeriod = false
    /// The last sample fed, if any.
    var lastSample: (millis: Int64, value: Int64)? { lastMillis.map { ($0, lastValue) } }
    /// Whether a sample after the period end was seen.
    private(set) var seenAfterEnd = false

    struct Gap: Equatable {
        /// Last sample before and first sample after the gap, ms.
        let from: Int64
        let to: Int64
        /// Whether the gap spans an hour, day or period boundary, so its increase was apportioned.
        let apportioned: Bool
    }

    /// Set when the tracker continues from a stored counter state (``init(continuing:)``).
    private var continuesState = false

    /// Whether it continues from a seed (``init(seed:)``) or a stored state (``init(continuing:)``).
    var isSeeded: Bool { seed != nil || continuesState }

    /// A tracker for a series seen from its first sample on.
    init() {}

    /// A tracker that continues a series after an hour summed from server-side summaries: the first
    /// sample fed is an ordinary (non-gap) interval after a sample of value `seed`.
    init(seed: Int64) {
        self.seed = seed
    }

    /// A tracker that continues from a usage store's counter state: the sample before the first
    /// one fed (its time and value) is known, though the backend no longer holds it. Samples not
    /// later than it are ignored; the first later one is an ordinary interval after it (or a gap,
    /// its increase shared by time from the state's sample on).
    init(continuing state: (millis: Int64, value: Int64)) {
        lastMillis = state.millis
        lastValue = state.value
        continuesState = true
    }

    /// Feeds one sample (in time order).
    /// - Parameters:
    ///   - millis: sample time, ms since 1970.
    ///   - value: counter value in whole units.
    ///   - buckets: the period's hour buckets.
    ///   - gapFactor: how many typical intervals make a gap.
    ///   - reset: whether the sample is a reset whatever its value (a native histogram whose
    ///     `count` went down).
    ///   - add: receives (hour index, increase) for every increase inside the period.
    mutating func ingest(
        millis: Int64, value: Int64, buckets: Buckets, gapFactor: Double, reset: Bool = false,
        add: (Int, Int64) -> Void
    ) {
        // A duplicate or out-of-order sample changes nothing.
        if let previous = lastMillis, millis <= previous { return }
        let start = buckets.startMillis
        let end = buckets.endMillis
        // What a sample shows was made before it: a sample at the period start closes the one before.
        let inPeriod = millis > start && millis <= end
        defer {
            lastMillis = millis
            lastValue = value
        }
        guard let previous = lastMillis else {
            firstMillis = millis
            firstValue = value
            if let seed {
                continueFromSeed(seed, millis: millis, value: value, buckets: buckets, add: add)
            } else if inPeriod {
                startedInPeriod = true
                recordInPeriod(millis)
                if value > 0, let hour = buckets.hourIndex(millis: millis - 1) {
                    countedFromZero = (millis, hour, value)
                    add(hour, value)
                }
            } else if millis > end {
                seenAfterEnd = true
            }
            return
        }
        if firstMillis == nil {  // the first sample after a stored state
            firstMillis = millis
            firstValue = value
        }
        if previous >= end {
            seenAfterEnd = true
            return
        }
        let interval = millis - previous
        let isReset = reset || value < lastValue
        let delta = isReset ? value : value - lastValue
        let isGap = Self.isGap(interval, typical: typicalInterval, gapFactor: gapFactor)
        if isReset && inPeriod { resets.append(millis) }
        if millis > end { seenAfterEnd = true }
        if inPeriod { recordInPeriod(millis) }
        // Every interval, a gap too, informs the scrape interval, so a changed one is learnt.
        defer { noteInterval(interval, wasGap: isGap) }

        guard isGap else {
            if delta > 0, let hour = buckets.hourIndex(millis: millis - 1) { add(hour, delta) }
            return
        }
        guard millis > start else { return }
        // After a reset the new value was made since the restart, late in the gap: it lands at the
        // gap's end. Otherwise the increase is shared by time.
        if isReset {
            if delta > 0, let hour = buckets.hourIndex(millis: millis - 1) { add(hour, delta) }
        } else {
            let segments = Apportion.split(delta: delta, from: previous, to: millis, buckets: buckets)
            for (hour, share) in segments where share > 0 { add(hour, share) }
        }
        let crosses = buckets.hourIndex(millis: previous) != buckets.hourIndex(millis: millis - 1)
        gaps.append(Gap(from: previous, to: millis, apportioned: crosses && !isReset))
        if let typical = typicalInterval, typical > 0 {
            let inside = min(millis, end) - max(previous, start)
            missedSamples += max(0, Int((Double(inside) / Double(typical)).rounded()) - 1)
        }
    }

    /// Whether an interval is a gap: longer than `gapFactor` typical intervals, or than
    /// ``defaultGapMillis`` while the typical interval is unknown.
    static func isGap(_ interval: Int64, typical: Int64?, gapFactor: Double) -> Bool {
        typical.map { Double(interval) > gapFactor * Double($0) } ?? (interval > defaultGapMillis)
    }

    /// The first sample after a seed: its increase over the seed lands in the hour before it.
    private mutating func continueFromSeed(
        _ seed: Int64, millis: Int64, value: Int64, buckets: Buckets,
        add: (Int, Int64) -> Void
    ) {
        let isReset = value < seed
        let delta = isReset ? value : value - seed
        if millis > buckets.endMillis { seenAfterEnd = true }
        guard millis > buckets.startMillis && millis <= buckets.endMillis else { return }
        if isReset { resets.append(millis) }
        recordInPeriod(millis)
        if delta > 0, let hour = buckets.hourIndex(millis: millis - 1) { add(hour, delta) }
    }

    /// Before the typical interval is known, an interval longer than this is a gap.
    package static let defaultGapMillis: Int64 = 5 * 60 * 1000

    private mutating func recordInPeriod(_ millis: Int64) {
        if firstInPeriod == nil { firstInPeriod = millis }
        lastInPeriod = millis
        samplesInPeriod += 1
    }

    /// Keeps the last 15 intervals; their median is re-estimated every 8, and after every gap, so a
    /// longer scrape interval is learnt within 8 of its intervals.
    private mutating func noteInterval(_ interval: Int64, wasGap: Bool) {
        if recentIntervals.count == 15 { recentIntervals.removeFirst() }
        recentIntervals.append(interval)
        intervalsSinceEstimate += 1
        if typicalInterval == nil || intervalsSinceEstimate >= 8 || wasGap {
            let sorted = recentIntervals.sorted()
            typicalInterval = sorted[sorted.count / 2]
            intervalsSinceEstimate = 0
        }
    }
}

/// Shares an increase observed across a gap between the hour buckets it spans, in whole tokens.
enum Apportion {
    /// Splits `delta` over `[from, to)` in proportion to the time in each hour bucket, with the
    /// largest-remainder method so the shares are integers; shares outside the period are dropped
    /// (they belong to the neighbouring period).
    /// - Returns: (hour index, tokens) for the in-period part.
    static func split(delta: Int64, from: Int64, to: Int64, buckets: Buckets) -> [(Int, Int64)] {
        guard delta > 0, to > from else { return [] }
        // Segments: [from, start), the hour buckets inside, [end, to). Index -1 marks outside.
        var segments: [(hour: Int, length: Int64)] = []
        var cursor = from
        if cursor < buckets.startMillis {
            let stop = min(to, buckets.startMillis)
            segments.append((-1, stop - cursor))
            cursor = stop
        }
        while cursor < to, let hour = buckets.hourIndex(millis: cursor) {
            let stop = min(to, buckets.hourEndMillis(hour))
            segments.append((hour, stop - cursor))
            cursor = stop
        }
        if cursor < to { segments.append((-1, to - cursor)) }
        let total = to - from
        var shares = segments.map { segment -> (hour: Int, share: Int64, remainder: Int64) in
            let product = delta.multipliedFullWidth(by: segment.length)
            let (quotient, remainder) = total.dividingFullWidth(product)
            return (segment.hour, quotient, remainder)
        }
        var left = delta - shares.reduce(0) { $0 + $1.share }
        let order = shares.indices.sorted {
            (shares[$0].remainder, $1) > (shares[$1].remainder, $0)
        }
        for index in order where left > 0 {
            shares[index].share += 1
            left -= 1
        }
        return shares.filter { $0.hour >= 0 }.map { ($0.hour, $0.share) }
    }
}
