import Foundation

/// How complete the data behind a report is, and every approximation the counter math made.
public struct Coverage: Sendable, Equatable {
    /// Series that had samples in or around the period.
    public var series = 0
    /// Samples inside the period.
    public var samples = 0
    /// Samples the series' own scrape intervals say should be there but are not.
    public var missedSamples = 0
    /// Counter resets seen inside the period (the increase before each, up to the crash, is not visible).
    public var resets: [Event] = []
    /// Intervals longer than the gap factor × the scrape interval.
    public var gaps: [GapEvent] = []
    /// Series whose first sample is inside the period (counted from zero).
    public var startedInPeriod: [Event] = []
    /// Series whose last sample is well before the period end with none after it.
    public var stoppedInPeriod: [Event] = []
    /// Where the backend's data starts, when that is later than the read range (the period and
    /// the lookback before it) starts: retention deleted the older samples, or there were none.
    /// First samples at this edge are baselines, not usage.
    public var dataStart: Date?
    /// The period's hours up to the data end (now, for a running period).
    public var expectedHours = 0
    /// Stretches of those hours in which no series has a sample.
    public var uncovered: [HourSpan] = []
    /// Tokens per key and hour that rest on an estimated counter start: monitoring added to a
    /// running gateway whose pod start nothing told (``LateStart``).
    public var estimated: [UsageKey: [Int64]] = [:]

    public init() {}

    /// The stretches after the data starts that no series covers and no gap bridges: nothing is
    /// known of them (the hours before the data have their own notice).
    public var blindSpans: [HourSpan] { uncovered.filter { !$0.bridged && !$0.beforeData } }

    /// Whether the period starts before the backend's data does.
    public var periodStartsBeforeData: Bool { dataStart != nil && !uncovered.isEmpty && uncovered[0].beforeData }

    /// Share of expected samples present, 0…1 (1 when nothing was expected): the samples present
    /// against those the series' own scrape intervals expect, times the share of the expected
    /// hours that some series covers or a gap bridges.
    public var ratio: Double {
        let expected = samples + missedSamples
        let sampleRatio = expected == 0 ? 1 : Double(samples) / Double(expected)
        guard expectedHours > 0 else { return sampleRatio }
        let blind = uncovered.filter { !$0.bridged }.reduce(0) { $0 + $1.hours }
        return sampleRatio * Double(expectedHours - blind) / Double(expectedHours)
    }

    /// Consecutive hours of the period in which no series has a sample.
    public struct HourSpan: Sendable, Equatable {
        public let from: Date
        public let to: Date
        public let hours: Int
        /// Whether a series' gap spans these hours, so its increase was shared into them by time;
        /// otherwise nothing is known of them (before the data starts, after every series stopped).
        public let bridged: Bool
        /// Whether the span lies before the start of the backend's data.
        public let beforeData: Bool

        package init(from: Date, to: Date, hours: Int, bridged: Bool, beforeData: Bool) {
            self.from = from
            self.to = to
            self.hours = hours
            self.bridged = bridged
            self.beforeData = beforeData
        }
    }

    /// A moment in one series' life.
    public struct Event: Sendable, Equatable {
        public let series: String
        public let at: Date

        public init(series: String, at: Date) {
            self.series = series
            self.at = at
        }
    }

    /// A gap in one series' samples.
    public struct GapEvent: Sendable, Equatable {
        public let series: String
        /// The scrape target: gateway and pod (or instance), shared by all series of one target.
        public let target: String
        public let from: Date
        public let to: Date
        /// Whether it spans a bucket or period boundary, so its increase was shared by time.
        public let apportioned: Bool
        public var seconds: Double { to.timeIntervalSince(from) }

        public init(series: String, target: String, from: Date, to: Date, apportioned: Bool) {
            self.series = series
            self.target = target
            self.from = from
            self.to = to
            self.apportioned = apportioned
        }
    }

    /// Time in which at least one target had a gap, seconds: overlapping gaps count once.
    public var gapSeconds: Double {
        var total = 0.0
        var open: (from: Date, to: Date)?
        for window in gapWindows.sorted(by: { $0.from < $1.from }) {
            if let current = open, window.from < current.to {
                open = (current.from, max(current.to, window.to))
            } else {
                if let current = open { total += current.to.timeIntervalSince(current.from) }
                open = (window.from, window.to)
            }
        }
        if let current = open { total += current.to.timeIntervalSince(current.from) }
        return total
    }

    /// Gaps as events: per scrape target, the series' gaps that overlap in time merge into one
    /// stretch, so a missed scrape shows once, with how many series it hit. Every file counts these.
    public var gapWindows: [GapWindow] {
        var windows: [GapWindow] = []
        for (target, events) in Dictionary(grouping: gaps, by: \.target) {
            var open: GapWindow?
            var series = Set<String>()
            for gap in events.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
                if let current = open, gap.from < current.to {
                    series.insert(gap.series)
                    open = GapWindow(
                        target: target, from: current.from, to: max(current.to, gap.to), series: series.count,
                        apportioned: current.apportioned || gap.apportioned)
                } else {
                    if let current = open { windows.append(current) }
                    series = [gap.series]
                    open = GapWindow(
                        target: target, from: gap.from, to: gap.to, series: 1, apportioned: gap.apportioned)
                }
            }
            if let current = open { windows.append(current) }
        }
        return windows.sorted { ($0.from, $0.target, $0.to) < ($1.from, $1.target, $1.to) }
    }

    /// One gap of one scrape target.
    public struct GapWindow: Sendable, Equatable {
        public let target: String
        public let from: Date
        public let to: Date
        public let series: Int
        public let apportioned: Bool
        public var seconds: Double { to.timeIntervalSince(from) }
    }
}
