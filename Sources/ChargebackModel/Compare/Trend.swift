import Foundation

/// One period of the trend: its cents and billable tokens per team, and nothing finer.
public struct TrendPoint: Sendable, Equatable {
    public struct TeamFigure: Sendable, Equatable {
        public let team: String
        public let cost: Decimal
        public let tokens: Int64
    }

    public let period: Period
    /// In allocation order; empty when the period has no data.
    public let teams: [TeamFigure]
    /// Why the period has no figures (before the backend's data), or `nil`.
    public let unavailable: String?
    /// The report's own period while it is still running.
    public let partial: Bool

    public var cost: Decimal { teams.reduce(0) { $0 + $1.cost } }
    public var tokens: Int64 { teams.reduce(0) { $0 + $1.tokens } }

    /// The teams' totals of a period's figures.
    public init(period: Period, figures: PeriodFigures, partial: Bool = false) {
        self.period = period
        teams = figures.teamOrder.map { team in
            let cells = figures.cells.filter { $0.team == team }
            return TeamFigure(
                team: team, cost: cells.reduce(0) { $0 + $1.cents },
                tokens: cells.reduce(0) { $0 + $1.billableTokens })
        }
        unavailable = nil
        self.partial = partial
    }

    private init(period: Period, teams: [TeamFigure], unavailable: String?, partial: Bool) {
        self.period = period
        self.teams = teams
        self.unavailable = unavailable
        self.partial = partial
    }

    /// This period with only `team`'s figure.
    func scoped(toTeam team: String) -> TrendPoint {
        TrendPoint(period: period, teams: teams.filter { $0.team == team }, unavailable: unavailable, partial: partial)
    }

    /// A period with no figures, and why.
    public init(period: Period, unavailable: String) {
        self.period = period
        teams = []
        self.unavailable = unavailable
        partial = false
    }
}

/// The report's period and the `--trend N` periods before it, oldest first, each measured
/// exactly and kept only as totals per team.
public struct Trend: Sendable, Equatable {
    public let points: [TrendPoint]

    public init(points: [TrendPoint]) {
        self.points = points
    }

    /// Every team of any point: the latest period's order, then teams only earlier periods had.
    public var teams: [String] {
        var names: [String] = []
        for point in points.reversed() {
            for figure in point.teams where !names.contains(figure.team) { names.append(figure.team) }
        }
        return names
    }

    /// The same periods with only `team`'s figures (a period it had no share of keeps no team).
    public func scoped(toTeam team: String) -> Trend {
        Trend(points: points.map { $0.scoped(toTeam: team) })
    }

    /// The cost of `team` in `point`, zero when it had none.
    public func cost(_ team: String, in point: TrendPoint) -> Decimal {
        point.teams.first { $0.team == team }?.cost ?? 0
    }

    /// The longest `--trend`: 24 periods.
    public static let maxPeriods = 24
}
