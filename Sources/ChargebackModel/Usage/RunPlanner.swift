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
        func settles(_ hour: Int) -> Bool {
            hour >= 1 && regular(hour) && regular(hour - 1) && series.minimum[hour] >= series.last[hour - 1]
                && (grid.bucket(ofHour: hour) != nil || !grid.overlapsPeriod(hour))
        }
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
            let run = Run(firstHour: first, lastHour: end, seed: hour >= 2 ? series.last[hour - 2] : nil)
            if (run.firstHour...run.lastHour).contains(where: { $0 >= hours || grid.overlapsPeriod($0) }) {
                plan.runs.append(run)
                if first < hour { flagged[first] = true }
            }
            hour = end + 1
        }
        plan.settled = (0..<hours).filter { !flagged[$0] && (grid.overlapsPeriod($0) || grid.isAfterPeriod($0)) }
        return plan
    }

    private static func sane(_ value: Double) -> Bool { value.isFinite && value >= 0 && value < 9e18 }
}
