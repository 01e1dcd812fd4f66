/// Decides, for one series, which hours its server-side summaries settle exactly and which hours
/// must be read sample by sample.
///
/// An hour is *regular* when it holds the series' usual number of samples, no reset and sane
/// values. An hour is *settled* when it and the hour before are regular and its smallest value is
/// not below the previous hour's last one: no reset, no missed scrape and no series start or stop
/// can hide in it, so the counter math over its samples gives exactly `last − previous last`
/// (a normal interval's increase lands in the hour of its later sample). Every other hour is part
/// of a *run*, read raw and fed through ``CounterTracker`` with all its rules (gaps shared by
/// time, resets, first samples); a run starts one settled hour early, continuing from the value
/// before it, so the tracker knows the last sample before the irregular hour and the scrape interval.
///
/// A run's last hour is often regular itself, read only because the hour before it is not (a
/// series born, or a reset, in that hour). When that hour holds samples and the last hour shows no
/// reset at its start, the series' last run marks it ``Run/lastSettles``: it is read raw only if
/// the samples before it do not end on schedule (their last one a scrape interval or more before
/// the hour's end: a gap that reaches into it); otherwise the summaries settle it as any other
/// hour. (Only the last run: a later run's samples would have been fed before that is known.)
///
/// What the summaries cannot see: a missed scrape exactly compensated, in the same hour, by an
/// extra sample (a scrape-time drift across the hour edge); `prometheus.plan: raw` reads every
/// sample instead.
public struct RunPlanner {
    /// One stretch of hours read raw, from `firstHour` through `lastHour` (grid hours; `lastHour`
    /// may be `grid.hourCount`, the partial hour after the grid).
    public struct Run: Sendable, Equatable {
        public let firstHour: Int
        public let lastHour: Int
        /// The value of the last sample before `firstHour`, or `nil` when the run starts the data.
        public let seed: Double?
        /// `lastHour` settles from the summaries when the run's samples before it end on schedule.
        public var lastSettles = false

        public init(firstHour: Int, lastHour: Int, seed: Double?, lastSettles: Bool = false) {
            (self.firstHour, self.lastHour, self.seed, self.lastSettles) = (firstHour, lastHour, seed, lastSettles)
        }
    }

    public struct Plan: Sendable, Equatable {
        /// Grid hours settled by the summaries, inside the period or after it.
        public var settled: [Int] = []
        public var runs: [Run] = []
    }

    public let grid: SummaryGrid

    public init(grid: SummaryGrid) {
        self.grid = grid
    }

    public func plan(_ series: SeriesHours) -> Plan {
        let usual = series.usualCount
        let hours = grid.hourCount
        func regular(_ hour: Int) -> Bool {
            series.count[hour] == usual && series.resets[hour] == 0 && Self.sane(series.last[hour])
                && Self.sane(series.minimum[hour])
        }
        /// Settles but for the hour before it being irregular (which the run then reads raw).
        func settlesAfterRaw(_ hour: Int) -> Bool {
            hour >= 1 && regular(hour) && series.minimum[hour] >= series.last[hour - 1]
                && (grid.bucket(ofHour: hour) != nil || !grid.overlapsPeriod(hour))
        }
        func settles(_ hour: Int) -> Bool { settlesAfterRaw(hour) && regular(hour - 1) }
        // The partial hour after the grid is never summarised: when it holds part of the period it
        // is read raw for every series.
        let total = grid.tailInPeriod ? hours + 1 : hours
        var flagged = (0..<total).map { $0 >= hours || !settles($0) }
        var plan = Plan()
        var hour = 0
        while hour < total {
            guard flagged[hour] else {
                hour += 1
                continue
            }
            var end = hour
            while end + 1 < total && flagged[end + 1] { end += 1 }
            // Hour 0 never settles, so a run starting later has two regular hours before it: the
            // settled one it starts with, and the one whose last value it continues from.
            let first = max(0, hour - 1)
            var run = Run(firstHour: first, lastHour: end, seed: hour >= 2 ? series.last[hour - 2] : nil)
            run.lastSettles = end > first && end < hours && series.count[end - 1] > 0 && settlesAfterRaw(end)
            if (run.firstHour...run.lastHour).contains(where: { $0 >= hours || grid.overlapsPeriod($0) }) {
                plan.runs.append(run)
                if first < hour { flagged[first] = true }
            }
            hour = end + 1
        }
        for index in plan.runs.indices.dropLast() { plan.runs[index].lastSettles = false }
        plan.settled = (0..<hours).filter { !flagged[$0] && (grid.overlapsPeriod($0) || grid.isAfterPeriod($0)) }
        return plan
    }

    private static func sane(_ value: Double) -> Bool { value.isFinite && value >= 0 && value < 9e18 }
}
