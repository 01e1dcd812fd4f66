import Foundation

/// One row of the unit economics: a team's cost of one model (or of all its models, `model` `nil`),
/// or the whole report's (`team` `nil`), per 1,000 billable tokens, per active identity and per request.
public struct UnitEconomicsRow: Sendable, Equatable {
    public let team: String?
    public let model: String?
    /// Sums of the chargeback rows: the ledger's cents and billable tokens.
    public let cost: Decimal
    public let billableTokens: Int64
    /// Identities of the directory's label with usage here (usage without the label not counted).
    public let activeIdentities: Int
    /// Requests placed here (``TeamRequests``; fractional under a split), `nil` when not measured.
    public var requests: Decimal? = nil
    /// `cost × 1,000 ÷ billable tokens`, exact (`nil` without billable tokens).
    public var costPerThousandTokens: Decimal? {
        billableTokens > 0 ? cost * 1000 / Decimal(billableTokens) : nil
    }
    /// `cost ÷ active identities`, exact (`nil` without any).
    public var costPerIdentity: Decimal? { activeIdentities > 0 ? cost / Decimal(activeIdentities) : nil }
    /// `cost ÷ requests`, exact (`nil` when not measured or without any).
    public var costPerRequest: Decimal? {
        guard let requests, requests > 0 else { return nil }
        return cost / requests
    }
}

/// What FinOps guidance on AI spend asks a report to show beside the totals: cost per 1,000 billable
/// tokens, per active identity and per request, per team and model, per team, and for the whole
/// report. Every cost is a sum of the chargeback rows, so the teams' rows tie out to their cents and
/// the total; the total's requests are the teams' (``TeamRequests/unplaced`` ones have no cost).
public enum UnitEconomics {
    /// The rows in team order (each team's models by name, then the team), then the total.
    public static func rows(allocation: Allocation, dimensions: UsageDimensions, label: String) -> [UnitEconomicsRow] {
        struct Sum {
            var cost: Decimal = 0
            var billable: Int64 = 0
            var identities = Set<String>()
            mutating func add(_ row: AllocatedRow, _ identity: String) {
                cost.accumulate(row.cost)
                billable += row.billableTokens
                // Usage without an identity, or the part agentgateway's request log does not explain, is no one's.
                if !identity.isEmpty && identity != Attribution.unattributed
                    && (row.billableTokens != 0 || row.cost != 0)
                {
                    identities.insert(identity)
                }
            }
            func row(_ team: String?, _ model: String?, requests: Decimal?) -> UnitEconomicsRow {
                var row = UnitEconomicsRow(
                    team: team, model: model, cost: cost, billableTokens: billable,
                    activeIdentities: identities.count)
                row.requests = requests
                return row
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
        let requests = allocation.requests
        var rows: [UnitEconomicsRow] = []
        var totalRequests: Decimal = 0
        for team in allocation.teamOrder {
            guard let models = byModel[team] else { continue }
            rows += models.keys.sorted().map {
                models[$0]!.row(team, $0, requests: requests?.requests(team: team, model: $0))
            }
            let teamRequests = models.keys.reduce(Decimal(0)) { $0 + (requests?.requests(team: team, model: $1) ?? 0) }
            totalRequests += teamRequests
            rows.append(byTeam[team]!.row(team, nil, requests: requests.map { _ in teamRequests }))
        }
        rows.append(total.row(nil, nil, requests: requests.map { _ in totalRequests }))
        return rows
    }
}

extension Report {
    /// Cost per 1,000 billable tokens, per active identity and per request, per team and model (with a
    /// directory; `[]` without one, as there are no identities to count).
    public var unitEconomics: [UnitEconomicsRow] {
        guard let identities else { return [] }
        return UnitEconomics.rows(allocation: allocation, dimensions: facts.dimensions, label: identities.label)
    }
}
