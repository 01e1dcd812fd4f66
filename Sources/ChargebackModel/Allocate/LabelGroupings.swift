import Foundation

/// The cost broken down by one label (`--group-by`): per value, tokens and the ledger's cents.
public struct LabelGrouping: Sendable, Equatable {
    public let label: String
    /// Sorted by value; usage without the label has the value `""`.
    public let groups: [Group]
}

extension LabelGrouping {
    /// Per label of `labels`, the usage per value: sums of the ledger's lines, so each label's
    /// values add up to the total to the cent.
    public static func all(_ labels: [String], ledger: Ledger, dimensions: UsageDimensions) -> [LabelGrouping] {
        labels.map { label in
            var groups: [String: Group] = [:]
            for line in ledger.lines {
                let value = dimensions.value(of: label, in: line.key)
                groups[value, default: Group(name: value)].add(
                    tokens: line.tokens, billable: line.billableTokens,
                    type: line.key.tokenType, cost: line.cost,
                    exact: line.exactCost)
            }
            return LabelGrouping(label: label, groups: groups.values.sorted { $0.name < $1.name })
        }
    }
}
