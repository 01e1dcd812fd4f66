import Foundation

/// Each team's share of every usage key, taken from the period's allocation, so that hourly and
/// daily team costs follow the same rules (and the same shared-pool weights) as the period total.
public struct TeamShares: Sendable {
    /// team → key → fraction of that key's cost (0…1).
    private let fractions: [String: [UsageKey: Decimal]]

    public init(allocation: Allocation, lines: [CostLine]) {
        var lineCost: [UsageKey: Decimal] = [:]
        for line in lines { lineCost[line.key, default: 0] += line.cost }
        var fractions: [String: [UsageKey: Decimal]] = [:]
        for row in allocation.rows {
            guard let total = lineCost[row.key], total > 0 else { continue }
            fractions[row.team, default: [:]][row.key, default: 0] += row.exactCost / total
        }
        self.fractions = fractions
    }

    /// A team's exact (unrounded) cost in each hour of the period.
    public func hourlyCost(of team: String, lines: [CostLine], hours: Int) -> [Decimal] {
        var cost = [Decimal](repeating: 0, count: hours)
        guard let shares = fractions[team] else { return cost }
        for line in lines {
            guard let fraction = shares[line.key], fraction > 0 else { continue }
            for hour in 0..<hours where line.hourlyCost[hour] != 0 { cost[hour] += line.hourlyCost[hour] * fraction }
        }
        return cost
    }
}
