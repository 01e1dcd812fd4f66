import Foundation

/// A row of a grouped table: a label, its tokens and its cents (a sum of the ledger's cents).
public struct Group: Sendable, Equatable {
    public let name: String
    /// Measured tokens of all kinds (an `input` that includes cache reads counts them again).
    public var tokens: Int64 = 0
    /// Tokens billed: cached tokens inside `input` counted once.
    public var billableTokens: Int64 = 0
    /// Cents, the sum of the ledger's cents for this group.
    public var cost: Decimal = 0
    /// Exact cost, unrounded.
    public var exactCost: Decimal = 0
    /// Measured tokens per token type.
    public var tokensByType: [String: Int64] = [:]

    public init(name: String) {
        self.name = name
    }

    mutating func add(tokens: Int64, billable: Int64, type: String, cost: Decimal, exact: Decimal) {
        self.tokens += tokens
        billableTokens += billable
        self.cost.accumulate(cost)
        exactCost.accumulate(exact)
        tokensByType[type, default: 0] += tokens
    }
}
