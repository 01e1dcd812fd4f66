import Foundation

/// One row of the chargeback: a team's share of one usage key at one price, for the whole period.
public struct AllocatedRow: Sendable, Equatable {
    public let team: String
    public let key: UsageKey
    /// The team's share of the measured tokens (before any cache subtraction).
    public let tokens: Int64
    /// The team's share of the billed tokens (cached tokens inside `input` left out).
    public let billableTokens: Int64
    /// USD per million tokens, `nil` when the usage had no price.
    public let unitPrice: Decimal?
    /// When that price took effect, `nil` when unpriced.
    public let priceSince: Date?
    /// The hours of the period this price covers (the row may have usage in only some of them).
    public let hours: Range<Int>
    /// Exact share, unrounded.
    public let exactCost: Decimal
    /// The sum of the row's cents in the ledger.
    public let cost: Decimal
    /// Where the rule is (`teams.yaml:14`), or `unallocated`.
    public let rule: String
}

/// The Allocate stage's result: the chargeback rows and the ledger of cents they are sums of.
public struct Allocation: Sendable, Equatable {
    /// Sorted by team (report order), then key, then time.
    public let rows: [AllocatedRow]
    /// Team names in report order: the book's order, then `Unallocated` when it has usage.
    public let teamOrder: [String]
    /// The period total rounded to the currency's minor unit; the rows' costs add up to exactly this.
    public let roundedTotal: Decimal
    /// The cents of every team × line, which every figure of every file is a sum of.
    public let ledger: Ledger
    /// Allocated totals per team in ``teamOrder``, with tokens per type: sums of the chargeback rows,
    /// made once (every renderer reads them).
    public let byTeam: [Group]
    /// The rules (`teams.yaml:12`) of `shared: proportional` pools split evenly because no team had
    /// direct cost in the period to be proportional to.
    public var evenFallbacks: [String] = []
    /// Identities with usage the directory did not place (the fallback rules allocated it), largest first.
    public var unlisted: [UnlistedIdentity] = []
    /// The requests placed on the teams; `nil` when the `requests` counter was not measured.
    public var requests: TeamRequests?

    /// A warning per pool that fell back to an even split, saying why.
    public var diagnostics: [Diagnostic] {
        evenFallbacks.map { rule in
            .warning(
                "the shared pool of \(rule) ('shared: proportional') was split evenly between all teams: no team "
                    + "has direct cost in this period to be proportional to")
        } + unlistedDiagnostics
    }

    /// A warning counting the identities the directory did not place (the report lists them; the
    /// warning names none, since it reaches every team's pack).
    private var unlistedDiagnostics: [Diagnostic] {
        guard !unlisted.isEmpty else { return [] }
        let cost = Money.round(unlisted.reduce(Decimal(0)) { $0 + $1.cost }, scale: 2)
        return [
            .warning(
                "\(unlisted.count) identities with usage (cost \(cost)) are not in the directory: the rules of "
                    + "teams.yaml placed them; the report lists them")
        ]
    }

    public init(rows: [AllocatedRow], teamOrder: [String], roundedTotal: Decimal, ledger: Ledger) {
        self.rows = rows
        self.teamOrder = teamOrder
        self.roundedTotal = roundedTotal
        self.ledger = ledger
        byTeam = Self.totals(of: rows, teamOrder: teamOrder)
    }

    /// A team's cents (its rows add up to it; the teams add up to ``roundedTotal``).
    public func cost(of team: String) -> Decimal {
        rows.filter { $0.team == team }.reduce(0) { $0 + $1.cost }
    }
}
