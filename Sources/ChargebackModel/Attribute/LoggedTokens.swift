import Foundation

/// A cell of the request log and the counters: gateway (or ``AttributionMatch/allGateways``),
/// model and token type.
struct LogCell: Hashable {
    let gateway: String
    let model: String
    let tokenType: String
}

/// The request log's tokens per cell, hour and identity, summed as the reader's rows stream in, so
/// a month of thousands of identities is never held as rows (``Attribution``). Identities are
/// kept once each, by number.
public struct LoggedTokens: Sendable {
    let labels: LabelNames
    let match: AttributionMatch
    let hourCount: Int
    /// Per cell and hour: each identity's (by ``names`` index) logged tokens.
    var logged: [LogCell: [Int: [Int32: Int64]]] = [:]
    /// Per cell and hour: the tokens completed within the straddling band before the hour's end.
    var tail: [LogCell: [Int: Int64]] = [:]
    /// The identities in first-seen order (`""` for records without one).
    private(set) var names: [String] = []
    private var numbers: [String: Int32] = [:]
    /// The reader's groups added.
    public private(set) var groups = 0

    public init(labels: LabelNames, match: AttributionMatch, hourCount: Int) {
        self.labels = labels
        self.match = match
        self.hourCount = hourCount
    }

    /// Adds one group of records; groups outside the period's hours are left out.
    public mutating func add(_ row: RequestLogRow) {
        groups += 1
        guard row.hour >= 0 && row.hour < hourCount else { return }
        let place = row.cell(labels: labels, match: match)
        let who = number(row.identity ?? "")
        for (index, type) in LoggedTokenType.all.enumerated() where row.tokens[index] != 0 {
            let cell = LogCell(gateway: place.gateway, model: place.model, tokenType: type)
            logged[cell, default: [:]][row.hour, default: [:]][who, default: 0] += row.tokens[index]
            tail[cell, default: [:]][row.hour, default: 0] += row.tail[index]
        }
    }

    /// The identities logged in `cell` at `hour` with their tokens, by name.
    func identities(_ cell: LogCell, hour: Int) -> [(String, Int64)] {
        (logged[cell]?[hour] ?? [:]).map { (names[Int($0.key)], $0.value) }.sorted { $0.0 < $1.0 }
    }

    private mutating func number(_ name: String) -> Int32 {
        if let known = numbers[name] { return known }
        let next = Int32(names.count)
        names.append(name)
        numbers[name] = next
        return next
    }
}
