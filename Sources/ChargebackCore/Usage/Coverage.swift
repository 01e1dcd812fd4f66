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

    public init() {}

    /// Share of expected samples present, 0…1 (1 when nothing was expected).
    public var ratio: Double {
        let expected = samples + missedSamples
        return expected == 0 ? 1 : Double(samples) / Double(expected)
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

    /// Total length of all gaps, seconds (each distinct target gap counted once).
    public var gapSeconds: Double { gapWindows.reduce(0) { $0 + $1.seconds } }

    /// Gaps grouped by target and time: a missed scrape shows once, with how many series it hit.
    public var gapWindows: [GapWindow] {
        var windows: [String: GapWindow] = [:]
        for gap in gaps {
            let id = "\(gap.target)\u{0}\(gap.from.timeIntervalSince1970)\u{0}\(gap.to.timeIntervalSince1970)"
            if let existing = windows[id] {
                windows[id] = GapWindow(target: gap.target, from: gap.from, to: gap.to, series: existing.series + 1,
                                        apportioned: existing.apportioned || gap.apportioned)
            } else {
                windows[id] = GapWindow(target: gap.target, from: gap.from, to: gap.to, series: 1, apportioned: gap.apportioned)
            }
        }
        return windows.values.sorted { ($0.from, $0.target) < ($1.from, $1.target) }
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
