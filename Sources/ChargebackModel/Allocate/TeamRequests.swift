import Foundation

/// The requests of the period placed on the teams, for the cost per request.
///
/// agentgateway observes its token histogram once per request and token type present, so the
/// histogram's count of `input` observations is the number of requests of a key (counting every
/// type would count a request once per type). A key's requests follow its `input` line hour by hour
/// exactly as its tokens do: a directory run's team in the run's hours, the line's shares (a rule,
/// a split, a pool) in the others. A split or pool gives a team a fraction of a request.
public struct TeamRequests: Sendable, Equatable {
    /// The token type whose observations count requests.
    public static let tokenType = "input"
    /// Requests per team and model.
    public private(set) var byTeam: [String: [String: Decimal]] = [:]
    /// Requests of keys with no `input` usage in the period to follow (only zero-token
    /// observations): in the total, in no team.
    public private(set) var unplaced: Int64 = 0

    public init() {}

    /// The requests of `team` and `model` (every model with `model` `nil`).
    public func requests(team: String, model: String? = nil) -> Decimal {
        guard let models = byTeam[team] else { return 0 }
        if let model { return models[model] ?? 0 }
        return models.values.reduce(0, +)
    }

    mutating func add(_ count: Decimal, team: String, model: String) {
        guard count != 0 else { return }
        byTeam[team, default: [:]][model, default: 0] += count
    }

    /// Places `requests` (hourly per `input` key) by the allocation's shares and directory runs.
    static func place(
        _ requests: [UsageKey: [Int64]], lines: [CostLine], shares: [[Allocator.Share]],
        placement: DirectoryPlacement, order: [String]
    ) -> TeamRequests {
        var placed = TeamRequests()
        var used = Set<UsageKey>()
        func team(_ index: Int) -> String? { index < order.count ? order[index] : nil }
        for (number, line) in lines.enumerated() where line.key.tokenType == tokenType {
            guard let hourly = requests[line.key] else { continue }
            used.insert(line.key)
            let model = line.key.model
            if let whole = placement.whole[number], let name = team(whole.team) {
                placed.add(Decimal(hourly.reduce(0, +)), team: name, model: model)
                continue
            }
            var rest = hourly
            for run in placement.runs[number] ?? [] {
                let hours = run.hours.clamped(to: 0..<rest.count)
                let count = hours.reduce(Int64(0)) { $0 + rest[$1] }
                guard let name = team(run.shares[0].team) else { continue }
                placed.add(Decimal(count), team: name, model: model)
                for hour in hours { rest[hour] = 0 }
            }
            let remaining = rest.reduce(0, +)
            let teams = shares[number].compactMap { share in team(share.team).map { ($0, share.fraction) } }
            if teams.isEmpty || teams.count < shares[number].count {
                placed.unplaced += remaining
                continue
            }
            for (name, fraction) in teams { placed.add(Decimal(remaining) * fraction, team: name, model: model) }
        }
        for (key, hourly) in requests where !used.contains(key) { placed.unplaced += hourly.reduce(0, +) }
        return placed
    }
}
