import Foundation

/// The Allocate stage: maps usage to teams with the first matching rule, splits and shared pools,
/// and rounds the result once, into the ledger of cents (``Ledger``).
public enum Allocator {
    /// One team's fraction of a key, under one rule.
    struct Share {
        let team: Int
        let fraction: Decimal
        let rule: String
    }

    /// Hours of one line whose team the directory decides.
    struct Run {
        let hours: Range<Int>
        let shares: [Share]
    }

    /// - Parameters:
    ///   - lines: priced usage for the whole period.
    ///   - buckets: the hours of each ledger bucket (the report's days, or each hour), in order.
    ///   - teamsFile: for the message when `unallocated: error` meets unmatched usage.
    ///   - hourStarts: each hour's start in seconds since 1970, for the directory's `from`/`to`.
    ///   - requests: hourly requests per `input` key, placed like its tokens (``TeamRequests``);
    ///     `nil` when not measured.
    /// - Throws: ``InputError`` when usage matches no rule and the book says `unallocated: error`, or
    ///   a line costs 10²⁰ USD or more.
    public static func allocate(
        lines: [CostLine], book: TeamBook, dimensions: UsageDimensions, teamsFile: String,
        buckets: [Range<Int>], hourly: Bool = false, minorUnits: Int = 2, hourStarts: [Int64] = [],
        requests: [UsageKey: [Int64]]? = nil
    ) throws -> Allocation {
        let teamNames = book.teams.map(\.name)
        let unallocatedIndex = teamNames.count
        var shares = [[Share]](repeating: [], count: lines.count)
        var pools: [(line: Int, mode: SharedMode, rule: String, number: Int)] = []
        var unmatched: [UsageKey] = []
        var direct = [Decimal](repeating: 0, count: teamNames.count)
        let index = Dictionary(teamNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let placement = DirectoryPlacement(
            directory: book.directory, lines: lines, dimensions: dimensions, hourStarts: hourStarts, index: index)
        // A rule looks only at the labels it names, so the lines that agree on all those labels
        // (thousands of per-user lines of one gateway, model and type) share a rule and its shares.
        let ruleKeys = Set(book.rules.flatMap(\.match.keys)).sorted()
        var ruleByValues: [[String]: Int?] = [:]
        var splitShares: [Int: [Share]] = [:]
        func ruleIndex(_ key: UsageKey) -> Int? {
            ruleByValues.remembered(ruleKeys.map { dimensions.value(of: $0, in: key) }) {
                book.ruleIndex { dimensions.value(of: $0, in: key) }
            }
        }
        for (number, line) in lines.enumerated() where line.tokens != 0 || line.cost != 0 {
            if let whole = placement.whole[number] {
                shares[number] = [whole]
                direct[whole.team] += line.cost
                continue
            }
            for run in placement.runs[number] ?? [] {
                direct[run.shares[0].team] += run.hours.reduce(Decimal(0)) { $0 + line.hourlyCost[$1] }
            }
            guard let ruleNumber = ruleIndex(line.key) else {
                if placement.hasUnplaced(number, line) { unmatched.append(line.key) }
                shares[number] = [Share(team: unallocatedIndex, fraction: 1, rule: "unallocated")]
                continue
            }
            let rule = book.rules[ruleNumber]
            switch rule.action {
            case .team(let team):
                shares[number] = [Share(team: index[team] ?? unallocatedIndex, fraction: 1, rule: rule.origin)]
            case .split(let parts):
                shares[number] = splitShares.remembered(ruleNumber) {
                    parts.map {
                        Share(
                            team: index[$0.team] ?? unallocatedIndex, fraction: $0.percent / 100,
                            rule: rule.origin)
                    }
                }
            case .shared(let mode):
                pools.append((number, mode, rule.origin, ruleNumber))
                continue
            }
            let rest = line.cost - placement.placedCost(number, line)
            for share in shares[number] where share.team < teamNames.count {
                direct[share.team] += rest * share.fraction
            }
        }
        if !unmatched.isEmpty && book.unallocated == .error {
            let sample = unmatched.prefix(3).map { "\($0.gateway) \($0.model)" }.joined(separator: "; ")
            throw InputError(
                file: teamsFile, "usage matches no rule (\(sample)); add a rule or set 'unallocated: report'")
        }
        // Shared pools, spread after direct usage is known.
        var evenFallbacks: [String] = []
        // The same for every line of one rule: each rule's shares are made once.
        var poolShares: [Int: [Share]] = [:]
        for pool in pools {
            shares[pool.line] = poolShares.remembered(pool.number) {
                var weights: [(Int, Decimal)]
                switch pool.mode {
                case .even: weights = teamNames.indices.map { ($0, 1) }
                case .weights(let table):
                    weights = teamNames.indices.compactMap { team in table[teamNames[team]].map { (team, $0) } }
                case .proportional: weights = teamNames.indices.map { ($0, direct[$0]) }
                }
                if weights.allSatisfy({ $0.1 == 0 }) {
                    if !evenFallbacks.contains(pool.rule) { evenFallbacks.append(pool.rule) }
                    weights = teamNames.indices.map { ($0, 1) }
                }
                let sum = weights.reduce(Decimal(0)) { $0 + $1.1 }
                return weights.filter { $0.1 > 0 }.map {
                    Share(team: $0.0, fraction: $0.1 / sum, rule: pool.rule)
                }
            }
        }
        // The ledger counts in 10⁻¹⁵ USD with 128-bit integers: far beyond any real bill, but say so.
        let limit = Decimal(sign: .plus, exponent: 20, significand: 1)
        if lines.contains(where: { $0.cost.magnitude >= limit }) {
            throw InputError(
                file: teamsFile,
                "the period's cost passes 10^20 USD, more than the ledger of cents holds; "
                    + "check the prices and the token counter")
        }
        let hasUnallocated = lines.indices.contains { number in
            shares[number].contains { $0.team == unallocatedIndex } && placement.hasUnplaced(number, lines[number])
        }
        let order = teamNames + (hasUnallocated ? [TeamBook.unallocatedName] : [])
        var allocation = LedgerBuilder(
            lines: lines, shares: shares, teamCount: order.count, buckets: buckets,
            hourly: hourly, minorUnits: minorUnits, runs: placement.runs
        ).allocation(teamOrder: order)
        allocation.evenFallbacks = evenFallbacks
        allocation.unlisted = placement.unlisted
        allocation.requests = requests.map {
            TeamRequests.place($0, lines: lines, shares: shares, placement: placement, order: order)
        }
        return allocation
    }
}
