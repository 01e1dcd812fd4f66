import Foundation

extension Allocation {
    /// Totals per team in `teamOrder`, with tokens per type: sums of `rows` (``byTeam``).
    static func totals(of rows: [AllocatedRow], teamOrder: [String]) -> [Group] {
        var groups = Dictionary(teamOrder.map { ($0, Group(name: $0)) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            groups[row.team]?.add(
                tokens: row.tokens, billable: row.billableTokens, type: row.key.tokenType,
                cost: row.cost, exact: row.exactCost)
        }
        return teamOrder.map { groups[$0] ?? Group(name: $0) }
    }
}
