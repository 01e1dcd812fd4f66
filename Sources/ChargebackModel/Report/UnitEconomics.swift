import Foundation

/// One row of the unit economics: a team's cost of one model (or of all its models, `model` `nil`),
/// or the whole report's (`team` `nil`), per 1,000 billable tokens and per active identity.
public struct UnitEconomicsRow: Sendable, Equatable {
    public let team: String?
    public let model: String?
    /// Sums of the chargeback rows: the ledger's cents and billable tokens.
    public let cost: Decimal
    public let billableTokens: Int64
    /// Identities of the directory's label with usage here (usage without the label not counted).
    public let activeIdentities: Int
    /// `cost × 1,000 ÷ billable tokens`, exact (`nil` without billable tokens).
    public var costPerThousandTokens: Decimal? {
        billableTokens > 0 ? cost * 1000 / Decimal(billableTokens) : nil
    }
    /// `cost ÷ active identities`, exact (`nil` without any).
    public var costPerIdentity: Decimal? { activeIdentities > 0 ? cost / Decimal(activeIdentities) : nil }
}

/// What FinOps guidance on AI spend asks a report to show beside the totals: cost per 1,000 billable
/// tokens and per active identity, per team and model, per team, and for the whole report. Every
/// cost is a sum of the chargeback rows, so the teams' rows tie out to their cents and the total.
public enum UnitEconomics {
    /// The rows in team order (each team's models by name, then the team), then the total.
    public static func rows(allocation: Allocation, dimensions: UsageDimensions, label: String) -> [UnitEconomicsRow] {
        struct Sum {
            var cost: Decimal = 0
            var billable: Int64 = 0
            var identities = Set<String>()
            mutating func add(_ row: AllocatedRow, _ identity: String) {
                cost += row.cost
                billable += row.billableTokens
                // Usage without an identity, or the part agentgateway's request log does not explain, is no one's.
                if !identity.isEmpty && identity != Attribution.unattributed
                    && (row.billableTokens != 0 || row.cost != 0)
                {
                    identities.insert(identity)
                }
            }
            func row(_ team: String?, _ model: String?) -> UnitEconomicsRow {
                UnitEconomicsRow(
                    team: team, model: model, cost: cost, billableTokens: billable,
                    activeIdentities: identities.count)
            }
        }
        var byModel: [String: [String: Sum]] = [:]
        var byTeam: [String: Sum] = [:]
        var total = Sum()
        for row in allocation.rows {
            let identity = dimensions.value(of: label, in: row.key)
            byModel[row.team, default: [:]][row.key.model, default: Sum()].add(row, identity)
            byTeam[row.team, default: Sum()].add(row, identity)
            total.add(row, identity)
        }
        var rows: [UnitEconomicsRow] = []
        for team in allocation.teamOrder {
            guard let models = byModel[team] else { continue }
            rows += models.keys.sorted().map { models[$0]!.row(team, $0) }
            rows.append(byTeam[team]!.row(team, nil))
        }
        rows.append(total.row(nil, nil))
        return rows
    }
}

extension Report {
    /// Cost per 1,000 billable tokens and per active identity, per team and model (with a
    /// directory; `[]` without one, as there are no identities to count).
    public var unitEconomics: [UnitEconomicsRow] {
        guard let identities else { return [] }
        return UnitEconomics.rows(allocation: allocation, dimensions: facts.dimensions, label: identities.label)
    }
}
