import Foundation

/// A row of a grouped table: a label, its tokens per kind and its cost.
public struct Group: Sendable, Equatable {
    public let name: String
    public var tokens: Int64 = 0
    public var cost: Decimal = 0
    public var tokensByType: [String: Int64] = [:]
}
