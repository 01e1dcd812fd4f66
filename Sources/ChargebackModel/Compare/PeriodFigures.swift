import Foundation

/// What a comparison keeps of one period: per team × key its billable tokens, exact cost and
/// cents, summed over the ledger's buckets and prices. Small (one entry per team and key, not per
/// hour), so past periods can be held while the report is built.
public struct PeriodFigures: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// `nil` would be a key no team has; the ledger always names one, `Unallocated` included.
        public let team: String?
        public let key: UsageKey
        public var billableTokens: Int64
        public var exact: Decimal
        public var cents: Decimal
    }

    /// Team × key, in allocation order.
    public let cells: [Cell]
    public let teamOrder: [String]
    /// Per key: billable tokens and exact cost of the whole key (all teams).
    public let lines: [(key: UsageKey, billableTokens: Int64, exact: Decimal)]
    public let roundedTotal: Decimal

    public static func == (a: PeriodFigures, b: PeriodFigures) -> Bool {
        a.cells == b.cells && a.teamOrder == b.teamOrder && a.roundedTotal == b.roundedTotal
    }

    /// The figures of an allocation and its priced lines.
    public init(lines: [CostLine], allocation: Allocation) {
        var index: [String: Int] = [:]
        var cells: [Cell] = []
        for row in allocation.rows {
            let id = row.team + "\u{0}\(row.key)"
            if let at = index[id] {
                cells[at].billableTokens += row.billableTokens
                cells[at].exact += row.exactCost
                cells[at].cents += row.cost
            } else {
                index[id] = cells.count
                cells.append(
                    Cell(
                        team: row.team, key: row.key, billableTokens: row.billableTokens, exact: row.exactCost,
                        cents: row.cost))
            }
        }
        self.cells = cells
        teamOrder = allocation.teamOrder
        self.lines = lines.map { ($0.key, $0.billableTokens, $0.cost) }
        roundedTotal = allocation.roundedTotal
    }

    /// One team's share only: its cells, and as the lines the sums of those cells per key.
    public func scoped(toTeam team: String) -> PeriodFigures {
        let kept = cells.filter { $0.team == team }
        var lines: [(key: UsageKey, billableTokens: Int64, exact: Decimal)] = []
        var index: [UsageKey: Int] = [:]
        for cell in kept {
            if let at = index[cell.key] {
                lines[at].billableTokens += cell.billableTokens
                lines[at].exact += cell.exact
            } else {
                index[cell.key] = lines.count
                lines.append((cell.key, cell.billableTokens, cell.exact))
            }
        }
        return PeriodFigures(
            cells: kept, teamOrder: teamOrder.filter { $0 == team }, lines: lines,
            roundedTotal: kept.reduce(0) { $0 + $1.cents })
    }

    private init(
        cells: [Cell], teamOrder: [String], lines: [(key: UsageKey, billableTokens: Int64, exact: Decimal)],
        roundedTotal: Decimal
    ) {
        self.cells = cells
        self.teamOrder = teamOrder
        self.lines = lines
        self.roundedTotal = roundedTotal
    }

    /// The amounts of every key that passes `include`, by key.
    func keyAmounts(_ include: (UsageKey) -> Bool) -> [UsageKey: Compare.Amount] {
        var amounts: [UsageKey: Compare.Amount] = [:]
        for line in lines where include(line.key) {
            amounts[line.key, default: .init()].tokens += line.billableTokens
            amounts[line.key, default: .init()].exact += line.exact
        }
        return amounts
    }

    /// The amounts of one team's share of each key, by key.
    func teamAmounts(_ team: String) -> [UsageKey: Compare.Amount] {
        var amounts: [UsageKey: Compare.Amount] = [:]
        for cell in cells where cell.team == team {
            amounts[cell.key, default: .init()].tokens += cell.billableTokens
            amounts[cell.key, default: .init()].exact += cell.exact
        }
        return amounts
    }

    /// A team's cents.
    func cents(team: String) -> Decimal {
        cells.filter { $0.team == team }.reduce(0) { $0 + $1.cents }
    }

    /// The cents of every key that passes `include`.
    func cents(_ include: (UsageKey) -> Bool) -> Decimal {
        cells.filter { include($0.key) }.reduce(0) { $0 + $1.cents }
    }
}
