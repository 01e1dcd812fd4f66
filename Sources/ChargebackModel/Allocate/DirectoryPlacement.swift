import Foundation

/// Which team the directory gives each line's hours: a whole line when one row covers all of its
/// period, runs of hours when an identity moves (the hour's team is the row in force at its start),
/// and the identities the data shows that the directory leaves to the fallback rules.
struct DirectoryPlacement {
    /// Lines the directory places whole, with their share.
    var whole: [Int: Allocator.Share] = [:]
    /// Lines the directory places in part: the runs of hours and their team.
    var runs: [Int: [Allocator.Run]] = [:]
    /// Identities with usage the directory does not place, by cost, largest first (usage without the
    /// label is not an identity and is not listed).
    var unlisted: [UnlistedIdentity] = []

    init(
        directory: TeamDirectory?, lines: [CostLine], dimensions: UsageDimensions, hourStarts: [Int64],
        index: [String: Int]
    ) {
        guard let directory else { return }
        let hourCount = lines.first?.hourlyTokens.count ?? 0
        /// The first hour starting at or after `second`.
        func hour(atOrAfter second: Int64?) -> Int {
            guard let second else { return 0 }
            var low = 0
            var high = min(hourStarts.count, hourCount)
            while low < high {
                let middle = (low + high) / 2
                if hourStarts[middle] < second { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var cache: [String: [Allocator.Run]] = [:]
        var missing: [String: (tokens: Int64, cost: Decimal)] = [:]
        for (number, line) in lines.enumerated() where line.tokens != 0 || line.cost != 0 {
            let identity = dimensions.value(of: directory.label, in: line.key)
            let identityRuns: [Allocator.Run]
            if let known = cache[identity] {
                identityRuns = known
            } else {
                identityRuns = (directory.entries[identity] ?? []).compactMap { row in
                    let from = hour(atOrAfter: row.from)
                    let to = row.to.map { hour(atOrAfter: $0) } ?? hourCount
                    guard from < to, let team = index[row.team] else { return nil }
                    return Allocator.Run(
                        hours: from..<to,
                        shares: [Allocator.Share(team: team, fraction: 1, rule: directory.origin(row))])
                }
                cache[identity] = identityRuns
            }
            if identityRuns.count == 1, identityRuns[0].hours == 0..<hourCount {
                whole[number] = identityRuns[0].shares[0]
                continue
            }
            if !identityRuns.isEmpty { runs[number] = identityRuns }
            var tokens: Int64 = 0
            var cost: Decimal = 0
            if identityRuns.isEmpty {
                tokens = line.tokens
                cost = line.cost
            } else {
                for hour in 0..<hourCount where !identityRuns.contains(where: { $0.hours.contains(hour) }) {
                    tokens += line.hourlyTokens[hour]
                    cost.accumulate(line.hourlyCost[hour])
                }
            }
            if (tokens != 0 || cost != 0) && !identity.isEmpty {
                missing[identity, default: (0, 0)].tokens += tokens
                missing[identity, default: (0, 0)].cost += cost
            }
        }
        unlisted = missing.map { UnlistedIdentity(identity: $0.key, tokens: $0.value.tokens, cost: $0.value.cost) }
            .sorted { ($0.cost, $1.identity) > ($1.cost, $0.identity) }
    }

    /// The cost of a line's hours that the directory places.
    func placedCost(_ number: Int, _ line: CostLine) -> Decimal {
        if whole[number] != nil { return line.cost }
        return (runs[number] ?? []).reduce(Decimal(0)) { sum, run in
            run.hours.reduce(sum) { $0 + line.hourlyCost[$1] }
        }
    }

    /// Whether some of a line's usage lies in hours the directory does not place.
    func hasUnplaced(_ number: Int, _ line: CostLine) -> Bool {
        if whole[number] != nil { return false }
        guard let lineRuns = runs[number] else { return true }
        return line.hourlyTokens.indices.contains { hour in
            (line.hourlyTokens[hour] != 0 || line.hourlyCost[hour] != 0)
                && !lineRuns.contains { $0.hours.contains(hour) }
        }
    }
}
