import Foundation

extension Allocation {
    /// Allocated totals per team in ``teamOrder``, with tokens per type.
    public var byTeam: [Group] {
        var groups = Dictionary(teamOrder.map { ($0, Group(name: $0)) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            groups[row.team]?.tokens += row.tokens
            groups[row.team]?.cost += row.cost
            groups[row.team]?.tokensByType[row.key.tokenType, default: 0] += row.tokens
        }
        return teamOrder.map { groups[$0] ?? Group(name: $0) }
    }
}
