import Foundation

/// `directory:` of `chargeback.yaml`: a CSV mapping the values of one identity label (users, API
/// keys, agents) to teams, each row valid in `[from, to)`. It takes precedence over the label rules
/// of `teams.yaml`, which stay the fallback for identities it does not list (or hours no row covers).
public struct TeamDirectory: Equatable, Sendable {
    /// One row: an identity in a team from `from` (inclusive) to `to` (exclusive), in seconds since
    /// 1970; `nil` is open-ended.
    public struct Assignment: Equatable, Sendable {
        public let team: String
        public let from: Int64?
        public let to: Int64?
        /// The row's line in the file, for messages.
        public let line: Int

        public init(team: String, from: Int64? = nil, to: Int64? = nil, line: Int) {
            self.team = team
            self.from = from
            self.to = to
            self.line = line
        }

        /// Whether the instant `second` lies in `[from, to)`.
        public func covers(_ second: Int64) -> Bool {
            (from.map { $0 <= second } ?? true) && (to.map { second < $0 } ?? true)
        }
    }

    /// The file as the config named it, for messages and the `rule` column.
    public let file: String
    /// The label (logical or raw name) whose values are the identities.
    public let label: String
    /// Each identity's rows, sorted by `from`.
    public let entries: [String: [Assignment]]

    public init(file: String, label: String, entries: [String: [Assignment]]) {
        self.file = file
        self.label = label
        self.entries = entries.mapValues { $0.sorted { ($0.from ?? .min) < ($1.from ?? .min) } }
    }

    /// The row in force for `identity` at the start of an hour (`second`), or `nil`.
    public func assignment(of identity: String, at second: Int64) -> Assignment? {
        entries[identity]?.first { $0.covers(second) }
    }

    /// The teams the rows name.
    public var teams: Set<String> { Set(entries.values.flatMap { $0.map(\.team) }) }

    /// The `rule` column's text for a row (`people.csv:12`).
    public func origin(_ assignment: Assignment) -> String {
        URL(fileURLWithPath: file).lastPathComponent + ":\(assignment.line)"
    }
}

/// An identity the data shows that the directory does not place (at least in some hours), with the
/// cost of that usage, which the fallback rules of `teams.yaml` allocated.
public struct UnlistedIdentity: Equatable, Sendable {
    public let identity: String
    /// Tokens and unrounded cost in the report's currency of the hours the directory did not cover.
    public let tokens: Int64
    public let cost: Decimal

    public init(identity: String, tokens: Int64, cost: Decimal) {
        self.identity = identity
        self.tokens = tokens
        self.cost = cost
    }
}
