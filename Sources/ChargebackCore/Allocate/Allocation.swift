import Foundation

/// One line of the chargeback: a team's share of one usage key under one rule.
public struct AllocatedRow: Sendable, Equatable {
    public let team: String
    public let key: UsageKey
    public let tokens: Int64
    /// Exact share, unrounded.
    public let exactCost: Decimal
    /// Rounded to cents so that all rows add up to the period total in cents.
    public let cost: Decimal
    /// Where the rule is (`teams.yaml:14`), or `unallocated`.
    public let rule: String
}

/// The Allocate stage's result.
public struct Allocation: Sendable, Equatable {
    /// Sorted by team, then key.
    public let rows: [AllocatedRow]
    /// Team names in report order: the book's order, then `Unallocated` when it has usage.
    public let teamOrder: [String]
    /// The period total rounded to cents; the rows' costs add up to exactly this.
    public let totalCents: Decimal
    /// The rules (`teams.yaml:12`) of `shared: proportional` pools split evenly because no team had
    /// direct cost in the period to be proportional to.
    public var evenFallbacks: [String] = []

    /// A warning per pool that fell back to an even split, saying why.
    public var diagnostics: [Diagnostic] {
        evenFallbacks.map { rule in
            .warning("the shared pool of \(rule) ('shared: proportional') was split evenly between all teams: no team "
                     + "has direct cost in this period to be proportional to")
        }
    }

    /// A team's rounded total (its rows add up to it; the teams add up to ``totalCents``).
    public func cost(of team: String) -> Decimal {
        rows.filter { $0.team == team }.reduce(0) { $0 + $1.cost }
    }
}

/// The Allocate stage: maps usage to teams with the first matching rule, splits and shared pools,
/// and rounds to the cent with the largest-remainder method at two levels (teams, then each
/// team's rows), so every grouping adds up.
public enum Allocator {
    /// - Parameters:
    ///   - lines: priced usage for the whole period.
    ///   - teamsFile: for the message when `unallocated: error` meets unmatched usage.
    /// - Throws: ``InputError`` when usage matches no rule and the book says `unallocated: error`.
    public static func allocate(lines: [CostLine], book: TeamBook, dimensions: UsageDimensions,
                                teamsFile: String) throws -> Allocation {
        struct Exact { var tokens: Int64 = 0; var cost: Decimal = 0 }
        struct RowID: Hashable { let team: String; let key: UsageKey; let rule: String }
        var exact: [RowID: Exact] = [:]
        var pools: [(line: CostLine, mode: SharedMode, rule: String)] = []
        var unmatched: [UsageKey] = []

        func add(_ team: String, _ line: CostLine, tokens: Int64, cost: Decimal, rule: String) {
            exact[RowID(team: team, key: line.key, rule: rule), default: Exact()].tokens += tokens
            exact[RowID(team: team, key: line.key, rule: rule), default: Exact()].cost += cost
        }
        for line in lines where line.tokens != 0 || line.cost != 0 {
            guard let rule = book.rule(for: { dimensions.value(of: $0, in: line.key) }) else {
                unmatched.append(line.key)
                add(TeamBook.unallocatedName, line, tokens: line.tokens, cost: line.cost, rule: "unallocated")
                continue
            }
            switch rule.action {
            case let .team(team):
                add(team, line, tokens: line.tokens, cost: line.cost, rule: rule.origin)
            case let .split(parts):
                let tokens = Money.splitTokens(line.tokens, weights: parts.map(\.percent))
                for (index, part) in parts.enumerated() {
                    add(part.team, line, tokens: tokens[index], cost: line.cost * part.percent / 100, rule: rule.origin)
                }
            case let .shared(mode):
                pools.append((line, mode, rule.origin))
            }
        }
        if !unmatched.isEmpty && book.unallocated == .error {
            let sample = unmatched.prefix(3).map { "\($0.gateway) \($0.model)" }.joined(separator: "; ")
            throw InputError(file: teamsFile, "usage matches no rule (\(sample)); add a rule or set 'unallocated: report'")
        }
        // Shared pools, spread after direct usage is known.
        var direct: [String: Decimal] = [:]
        for (id, value) in exact where id.team != TeamBook.unallocatedName { direct[id.team, default: 0] += value.cost }
        let teamNames = book.teams.map(\.name)
        var evenFallbacks: [String] = []
        for pool in pools {
            var weights: [(String, Decimal)]
            switch pool.mode {
            case .even: weights = teamNames.map { ($0, 1) }
            case let .weights(table): weights = teamNames.compactMap { name in table[name].map { (name, $0) } }
            case .proportional: weights = teamNames.map { ($0, direct[$0] ?? 0) }
            }
            if weights.allSatisfy({ $0.1 == 0 }) {
                if !evenFallbacks.contains(pool.rule) { evenFallbacks.append(pool.rule) }
                weights = teamNames.map { ($0, 1) }
            }
            let sum = weights.reduce(Decimal(0)) { $0 + $1.1 }
            let tokens = Money.splitTokens(pool.line.tokens, weights: weights.map(\.1))
            for (index, (team, weight)) in weights.enumerated() where weight > 0 {
                add(team, pool.line, tokens: tokens[index], cost: pool.line.cost * weight / sum, rule: pool.rule)
            }
        }
        // Round: teams first, then each team's rows.
        let order = teamNames + (exact.keys.contains { $0.team == TeamBook.unallocatedName } ? [TeamBook.unallocatedName] : [])
        let exactTotal = exact.values.reduce(Decimal(0)) { $0 + $1.cost }
        let totalCents = Money.round(exactTotal)
        let teamExact = order.map { team in exact.filter { $0.key.team == team }.reduce(Decimal(0)) { $0 + $1.value.cost } }
        let teamCents = Money.largestRemainder(teamExact, total: totalCents)
        var rows: [AllocatedRow] = []
        for (index, team) in order.enumerated() {
            let ids = exact.keys.filter { $0.team == team }.sorted { ($0.key, $0.rule) < ($1.key, $1.rule) }
            let cents = Money.largestRemainder(ids.map { exact[$0]!.cost }, total: teamCents[index])
            for (id, cost) in zip(ids, cents) {
                rows.append(AllocatedRow(team: team, key: id.key, tokens: exact[id]!.tokens, exactCost: exact[id]!.cost,
                                         cost: cost, rule: id.rule))
            }
        }
        var allocation = Allocation(
            rows: rows, teamOrder: order.filter { team in rows.contains { $0.team == team } || teamNames.contains(team) },
            totalCents: totalCents)
        allocation.evenFallbacks = evenFallbacks
        return allocation
    }
}
