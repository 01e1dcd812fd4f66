import Foundation

/// The request log's coverage of one gateway's counted tokens on one day of the report.
public struct AttributionCoverage: Sendable, Equatable {
    /// The gateway, or ``AttributionMatch/allGateways`` when records are matched across gateways.
    public let gateway: String
    /// The day's first instant (the report's time zone).
    public let day: Date
    /// Tokens the counters measured, the log recorded, and the part of the counted ones the log does
    /// not explain (shown as ``Attribution/unattributed``).
    public let counted: Int64
    public let logged: Int64
    public let unattributed: Int64

    /// logged ÷ counted in percent, to 0.1 (`nil` when nothing was counted).
    public var percent: Decimal? {
        counted > 0 ? Money.round(Decimal(logged) * 100 / Decimal(counted), scale: 1) : nil
    }
}

/// Measured usage keyed by identity as well: each key's hourly tokens split among the identities
/// agentgateway's request log shows in its cell, the counted tokens unchanged.
public struct AttributedUsage: Sendable {
    /// The keys of the measured usage with the identity appended to their extras.
    public let tokens: [UsageKey: [Int64]]
    public let newerBuilds: [UsageKey: [Bool?]]
    /// Per gateway and day, in gateway then day order.
    public let coverage: [AttributionCoverage]
    /// Records the counters do not have (beyond the straddling band), counters the log has none of.
    public let diagnostics: [Diagnostic]
}

/// Splits the counters' tokens among the identities of agentgateway's request log.
///
/// A cell is an hour × gateway × model × token type (× nothing else: the log knows no other
/// label). Its counted tokens C are the counters' (the measure of the totals); the identities'
/// logged tokens l_i sum to L. The log explains min(C, L) of them: identity i gets l_i when
/// L ≤ C, else its share of C (largest remainder, so tokens stay whole); the rest, C − min(C, L),
/// goes to ``unattributed``. A cell of several keys (other labels, such as a route) splits each
/// key the same way. Totals, and every team's cost under the same rules, are unchanged.
public enum Attribution {
    /// The identity of counted tokens the log does not explain.
    public static let unattributed = "unattributed"

    /// ``apply(tokens:newerBuilds:logged:buckets:)`` of rows already read.
    public static func apply(
        tokens: [UsageKey: [Int64]], newerBuilds: [UsageKey: [Bool?]], rows: [RequestLogRow], labels: LabelNames,
        match: AttributionMatch, buckets: Buckets
    ) -> AttributedUsage {
        var logged = LoggedTokens(labels: labels, match: match, hourCount: buckets.hourCount)
        for row in rows { logged.add(row) }
        return apply(tokens: tokens, newerBuilds: newerBuilds, logged: logged, buckets: buckets)
    }

    public static func apply(
        tokens: [UsageKey: [Int64]], newerBuilds: [UsageKey: [Bool?]], logged log: LoggedTokens, buckets: Buckets
    ) -> AttributedUsage {
        typealias Cell = LogCell
        let match = log.match
        func cell(of key: UsageKey) -> Cell {
            Cell(
                gateway: match == .model ? AttributionMatch.allGateways : key.gateway, model: key.model,
                tokenType: key.tokenType)
        }
        let logged = log.logged
        let tail = log.tail
        var keysByCell: [Cell: [UsageKey]] = [:]
        for key in tokens.keys.sorted() { keysByCell[cell(of: key), default: []].append(key) }

        var result: [UsageKey: [Int64]] = [:]
        var builds: [UsageKey: [Bool?]] = [:]
        let hours = buckets.hourCount
        let zeros = [Int64](repeating: 0, count: hours)
        struct DaySum {
            var counted: Int64 = 0
            var logged: Int64 = 0
            var unattributed: Int64 = 0
        }
        var days: [String: [Int: DaySum]] = [:]
        var problems: [Diagnostic] = []
        for (place, keys) in keysByCell.sorted(by: {
            ($0.key.gateway, $0.key.model, $0.key.tokenType) < ($1.key.gateway, $1.key.model, $1.key.tokenType)
        }) {
            var excess: Int64 = 0
            var countedInCell: Int64 = 0
            var loggedInCell: Int64 = 0
            // Per key of the cell, each identity's hourly tokens.
            var split = Array(repeating: [String: [Int64]](), count: keys.count)
            for hour in 0..<hours {
                let counts = keys.map { max(0, tokens[$0]![hour]) }
                let counted = counts.reduce(0, +)
                let identities = log.identities(place, hour: hour)
                let loggedSum = identities.reduce(0) { $0 + $1.1 }
                countedInCell += counted
                loggedInCell += loggedSum
                excess += max(0, loggedSum - counted - (tail[place]?[hour] ?? 0))
                let day = buckets.dayIndex(ofHour: hour)
                // The identities' parts of the cell: their logged tokens, or shares of the counted ones.
                let explained = min(counted, loggedSum)
                var parts =
                    explained == loggedSum
                    ? identities.map(\.1)
                    : Self.split(explained, by: identities.map(\.1))
                var names = identities.map(\.0)
                names.append(unattributed)
                parts.append(counted - explained)
                days[place.gateway, default: [:]][day, default: DaySum()].counted += counted
                days[place.gateway, default: [:]][day, default: DaySum()].logged += loggedSum
                days[place.gateway, default: [:]][day, default: DaySum()].unattributed += counted - explained
                // Each key of the cell split the same way (one key: exactly the parts).
                for (index, key) in keys.enumerated() {
                    let shares = counts.count == 1 ? parts : Self.split(counts[index], by: parts)
                    for (name, share) in zip(names, shares) where share != 0 || name == unattributed {
                        split[index][name, default: zeros][hour] += share
                    }
                    // Negative increases (none from exact counters) stay with the unattributed.
                    if tokens[key]![hour] < 0 { split[index][unattributed, default: zeros][hour] += tokens[key]![hour] }
                }
            }
            for (index, key) in keys.enumerated() {
                for (name, hourly) in split[index] {
                    let identified = UsageKey(
                        gateway: key.gateway, model: key.model, tokenType: key.tokenType, system: key.system,
                        extras: key.extras + [name])
                    result[identified] = hourly
                    if let known = newerBuilds[key] { builds[identified] = known }
                }
            }
            if excess > 0 {
                problems.append(
                    .warning(
                        "the request log has \(excess) \(place.tokenType) tokens of gateway '\(place.gateway)', model "
                            + "'\(place.model)' beyond the counters' (beyond one scrape interval at the hours' ends); "
                            + "the counters decide the totals"))
            } else if countedInCell > 0 && loggedInCell == 0 && LoggedTokenType.all.contains(place.tokenType) {
                problems.append(
                    .warning(
                        "the counters have \(countedInCell) \(place.tokenType) tokens of gateway '\(place.gateway)', "
                            + "model '\(place.model)' and the request log none: they are \(unattributed)"))
            }
        }
        // Records in cells the counters have no series for at all.
        for (place, hoursLogged) in logged.sorted(by: {
            ($0.key.gateway, $0.key.model, $0.key.tokenType) < ($1.key.gateway, $1.key.model, $1.key.tokenType)
        })
        where keysByCell[place] == nil {
            let sum = hoursLogged.values.reduce(0) { $0 + $1.values.reduce(0, +) }
            problems.append(
                .warning(
                    "the request log has \(sum) \(place.tokenType) tokens of gateway '\(place.gateway)', model "
                        + "'\(place.model)' in \(hoursLogged.count) hours that the counters do not have; they are left out"
                ))
        }
        let coverage = days.keys.sorted().flatMap { gateway in
            days[gateway]!.keys.sorted().map { day in
                let sum = days[gateway]![day]!
                return AttributionCoverage(
                    gateway: gateway, day: buckets.days[day].start, counted: sum.counted, logged: sum.logged,
                    unattributed: sum.unattributed)
            }
        }
        return AttributedUsage(tokens: result, newerBuilds: builds, coverage: coverage, diagnostics: problems)
    }

    /// `total` split in proportion to `weights` (non-negative), whole numbers summing to `total`:
    /// floors, then one more to the largest remainders (ties to the earlier).
    public static func split(_ total: Int64, by weights: [Int64]) -> [Int64] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in 0 } }
        var parts: [Int64] = []
        var remainders: [(Int, Int64)] = []
        for (index, weight) in weights.enumerated() {
            let product = total.multipliedFullWidth(by: weight)
            let (quotient, remainder) = sum.dividingFullWidth(product)
            parts.append(quotient)
            remainders.append((index, remainder))
        }
        var left = total - parts.reduce(0, +)
        for (index, _) in remainders.sorted(by: { $0.1 > $1.1 || $0.1 == $1.1 && $0.0 < $1.0 }) where left > 0 {
            parts[index] += 1
            left -= 1
        }
        return parts
    }
}

/// What a report says of the request log it attributed with: where it is, by which identity and
/// match, and its coverage per gateway and day.
public struct AttributionSummary: Sendable, Equatable {
    /// The database's URL without a password.
    public let source: String
    public let identity: AttributionIdentity
    public let match: AttributionMatch
    public let coverage: [AttributionCoverage]

    public init(
        source: String, identity: AttributionIdentity, match: AttributionMatch, coverage: [AttributionCoverage]
    ) {
        self.source = source
        self.identity = identity
        self.match = match
        self.coverage = coverage
    }

    /// The whole period: counted, logged and unattributed tokens over every gateway and day.
    public var total: (counted: Int64, logged: Int64, unattributed: Int64) {
        coverage.reduce((0, 0, 0)) { ($0.0 + $1.counted, $0.1 + $1.logged, $0.2 + $1.unattributed) }
    }

    /// The whole period's logged ÷ counted in percent, to 0.1 (`nil` when nothing was counted).
    public var percent: Decimal? {
        let total = total
        return total.counted > 0 ? Money.round(Decimal(total.logged) * 100 / Decimal(total.counted), scale: 1) : nil
    }

    /// Only the coverage of `gateways` (a team pack's), and that of all gateways with `match: model`.
    public func scoped(toGateways gateways: Set<String>) -> AttributionSummary {
        AttributionSummary(
            source: source, identity: identity, match: match,
            coverage: coverage.filter { gateways.contains($0.gateway) || $0.gateway == AttributionMatch.allGateways })
    }
}
