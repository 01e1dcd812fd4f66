import Foundation

/// A team that pays for usage, from `teams.yaml`.
public struct Team: Equatable, Sendable {
    public let name: String
    public let costCenter: String
    public let owner: String
    public let monthlyBudget: Decimal?
    /// Copied on the team's mail, openly (`cc`) or not (`bcc`).
    public let cc: [Mailbox]
    public let bcc: [Mailbox]

    public init(
        name: String, costCenter: String = "", owner: String = "", monthlyBudget: Decimal? = nil,
        cc: [Mailbox] = [], bcc: [Mailbox] = []
    ) {
        self.name = name
        self.costCenter = costCenter
        self.owner = owner
        self.monthlyBudget = monthlyBudget
        self.cc = cc
        self.bcc = bcc
    }
}

/// How a shared pool is spread over the teams.
public enum SharedMode: Equatable, Sendable {
    /// In proportion to each team's directly allocated cost.
    case proportional
    /// The same amount for every team.
    case even
    /// In proportion to fixed positive weights.
    case weights([String: Decimal])
}

/// What a matching rule does with the usage it matches.
public enum RuleAction: Equatable, Sendable {
    case team(String)
    /// Percentages per team, summing to 100, in file order.
    case split([(team: String, percent: Decimal)])
    case shared(SharedMode)

    public static func == (lhs: RuleAction, rhs: RuleAction) -> Bool {
        switch (lhs, rhs) {
        case (.team(let a), .team(let b)): a == b
        case (.split(let a), .split(let b)): a.map(\.team) == b.map(\.team) && a.map(\.percent) == b.map(\.percent)
        case (.shared(let a), .shared(let b)): a == b
        default: false
        }
    }
}

/// One `rules:` entry: label globs that must all match, and what to do with the usage.
public struct TeamRule: Equatable, Sendable {
    /// Keys are logical names (`gateway`, `model`, `token_type`, `system`) or raw label names.
    public let match: [String: Glob]
    public let action: RuleAction
    /// Where the rule is written, for the `rule` column and messages (`teams.yaml:12`).
    public let origin: String

    public init(match: [String: Glob], action: RuleAction, origin: String) {
        self.match = match
        self.action = action
        self.origin = origin
    }

    /// Whether every glob matches the dimension of the same name in `attributes`.
    public func matches(_ attributes: (String) -> String) -> Bool {
        match.allSatisfy { key, glob in glob.matches(attributes(key)) }
    }

    /// Whether the rule charges teams directly (`team:` or `split:`), giving a proportional pool something to follow.
    public var givesDirectCost: Bool {
        if case .shared = action { return false }
        return true
    }
}

/// What to do with usage no rule matches.
public enum UnallocatedPolicy: String, Sendable {
    /// Show it on a visible `Unallocated` row.
    case report
    /// Stop with an input error.
    case error
}

/// `teams.yaml`: the teams and the ordered allocation rules.
public struct TeamBook: Equatable, Sendable {
    public let teams: [Team]
    public let rules: [TeamRule]
    public let unallocated: UnallocatedPolicy
    /// `directory:` of `chargeback.yaml`, which places identities before the rules; `nil` without one.
    public var directory: TeamDirectory?

    public init(teams: [Team], rules: [TeamRule], unallocated: UnallocatedPolicy) {
        self.teams = teams
        self.rules = rules
        self.unallocated = unallocated
    }

    /// The name of the row that holds usage no rule matches.
    public static let unallocatedName = "Unallocated"

    /// The first rule that matches, or `nil`.
    public func rule(for attributes: (String) -> String) -> TeamRule? {
        ruleIndex(for: attributes).map { rules[$0] }
    }

    /// Where in ``rules`` the first rule that matches stands, or `nil`.
    public func ruleIndex(for attributes: (String) -> String) -> Int? {
        rules.firstIndex { $0.matches(attributes) }
    }

    /// Label keys the rules look at beyond the four logical dimensions.
    public var extraLabelKeys: [String] {
        let logical: Set<String> = ["gateway", "model", "token_type", "system"]
        return Set(rules.flatMap(\.match.keys)).subtracting(logical).sorted()
    }
}
