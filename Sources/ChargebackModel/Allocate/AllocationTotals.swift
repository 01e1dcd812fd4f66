import Foundation

extension Allocation {
    /// Allocated totals per team in ``teamOrder``, with tokens per type: sums of the chargeback rows.
    public var byTeam: [Group] {
        var groups = Dictionary(teamOrder.map { ($0, Group(name: $0)) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            groups[row.team]?.add(
                tokens: row.tokens, billable: row.billableTokens, type: row.key.tokenType,
                cost: row.cost, exact: row.exactCost)
        }
        return teamOrder.map { groups[$0] ?? Group(name: $0) }
    }
}
