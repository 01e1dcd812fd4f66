import Crypto
import Foundation

/// One identity's part of one team's cost: sums of the team's chargeback rows of that identity's
/// keys, so a team's identities add up to its cents.
public struct IdentityFigure: Sendable, Equatable {
    public let team: String
    /// The label's value, or its pseudonym (``IdentityPseudonyms``); `""` for usage without the label.
    public let identity: String
    public let tokens: Int64
    public let billableTokens: Int64
    public let cost: Decimal
    /// The identity's share of the team's cost in percent, cut to 0.1 (`nil` when the team's cost is 0).
    public let sharePercent: Decimal?
}

/// Who spent each team's cost: per team and identity (the directory's label), tokens, cents and
/// share, built once by the pipeline from the allocation.
public struct IdentityBreakdown: Sendable, Equatable {
    /// The label whose values are the identities.
    public let label: String
    /// Whether the values are pseudonyms.
    public let pseudonymized: Bool
    /// In team order, then by cost (largest first), then identity.
    public let figures: [IdentityFigure]
    /// Identities with usage the directory did not place (the fallback rules did), largest first.
    public let unlisted: [UnlistedIdentity]
    /// What each allocation row's identity is written as (itself, or its pseudonym), by the row's
    /// label value: for the files that name identities row by row (FOCUS).
    public let shown: [String: String]

    /// How many identities each team's top list shows in the Markdown.
    public static let topCount = 10

    /// - Parameter pseudonym: the value shown for an identity (itself, or its keyed hash).
    public init(
        allocation: Allocation, dimensions: UsageDimensions, label: String, pseudonymized: Bool = false,
        pseudonym: (String) -> String = { $0 }
    ) {
        self.label = label
        self.pseudonymized = pseudonymized
        unlisted = allocation.unlisted.map {
            UnlistedIdentity(identity: pseudonym($0.identity), tokens: $0.tokens, cost: $0.cost)
        }
        struct Sum {
            var tokens: Int64 = 0
            var billable: Int64 = 0
            var cost: Decimal = 0
        }
        var sums: [String: [String: Sum]] = [:]
        var teamCost: [String: Decimal] = [:]
        var shown: [String: String] = [:]
        for row in allocation.rows {
            let value = dimensions.value(of: label, in: row.key)
            let identity = shown[value] ?? pseudonym(value)
            shown[value] = identity
            sums[row.team, default: [:]][identity, default: Sum()].tokens += row.tokens
            sums[row.team, default: [:]][identity, default: Sum()].billable += row.billableTokens
            sums[row.team, default: [:]][identity, default: Sum()].cost.accumulate(row.cost)
            teamCost[row.team, default: 0] += row.cost
        }
        self.shown = shown
        figures = allocation.teamOrder.flatMap { team -> [IdentityFigure] in
            let total = teamCost[team] ?? 0
            return (sums[team] ?? [:]).map { identity, sum in
                IdentityFigure(
                    team: team, identity: identity, tokens: sum.tokens, billableTokens: sum.billable, cost: sum.cost,
                    sharePercent: total != 0 ? Money.round(sum.cost / total * 100, scale: 1, .down) : nil)
            }.sorted { ($1.cost, $0.identity) < ($0.cost, $1.identity) }
        }
    }

    private init(
        label: String, pseudonymized: Bool, figures: [IdentityFigure], unlisted: [UnlistedIdentity],
        shown: [String: String]
    ) {
        self.label = label
        self.pseudonymized = pseudonymized
        self.figures = figures
        self.unlisted = unlisted
        self.shown = shown
    }

    /// The figures of one team, largest first.
    public func figures(of team: String) -> [IdentityFigure] { figures.filter { $0.team == team } }

    /// Only `team`'s identities (a team pack shows no other team's people).
    public func scoped(toTeam team: String) -> IdentityBreakdown {
        let own = figures(of: team)
        let names = Set(own.map(\.identity))
        return IdentityBreakdown(
            label: label, pseudonymized: pseudonymized, figures: own,
            unlisted: unlisted.filter { names.contains($0.identity) },
            shown: shown.filter { names.contains($0.value) })
    }
}

/// Stable keyed pseudonyms: `id-` and the first 16 hex digits of HMAC-SHA256(key, value), the same
/// for the same key and value in every run and file, not reversible without the key.
public struct IdentityPseudonyms: Sendable {
    private let key: Data

    public init(key: Data) { self.key = key }

    public func pseudonym(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: key))
        return "id-" + mac.prefix(8).hex
    }
}
