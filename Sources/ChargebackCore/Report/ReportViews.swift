import Foundation

/// One row of the usage table: a time bucket × gateway × model × token type.
public struct UsageRow: Sendable, Equatable {
    public let start: Date
    public let end: Date
    public let key: UsageKey
    public let tokens: Int64
    public let cost: Decimal
}

extension Report {
    /// Measured usage per gateway, sorted by name (exact cost, unrounded).
    public var byGateway: [Group] { group { $0.gateway } }
    /// Measured usage per model, sorted by name.
    public var byModel: [Group] { group { $0.model } }
    /// Measured usage per token type.
    public var byTokenType: [Group] { group { $0.tokenType } }

    /// Measured usage per calendar day of the report time zone (every day of the period, even empty ones).
    public var byDay: [(day: Buckets.Day, tokens: Int64, cost: Decimal)] {
        buckets.days.map { day in
            var tokens: Int64 = 0
            var cost: Decimal = 0
            for line in lines {
                for hour in day.hours {
                    tokens += line.hourlyTokens[hour]
                    cost += line.hourlyCost[hour]
                }
            }
            return (day, tokens, cost)
        }
    }

    /// Usage rows per day (or per hour), gateway, model and token type, skipping empty ones.
    public func usageRows(hourly: Bool) -> [UsageRow] {
        var rows: [UsageRow] = []
        forEachUsageRow(hourly: hourly) { rows.append($0) }
        return rows
    }

    /// Calls `body` with each row of ``usageRows(hourly:)`` in the same order, without holding them
    /// all (a month of hourly rows for thousands of series is millions of rows).
    public func forEachUsageRow(hourly: Bool, _ body: (UsageRow) throws -> Void) rethrows {
        try forEachUsageRowWithLine(hourly: hourly) { _, row in try body(row) }
    }

    /// ``forEachUsageRow(hourly:_:)`` with the index in ``lines`` of each row's line, so a writer
    /// can prepare what is the same for all rows of a line once.
    public func forEachUsageRowWithLine(hourly: Bool, _ body: (Int, UsageRow) throws -> Void) rethrows {
        if hourly {
            for hour in 0..<buckets.hourCount {
                let start = buckets.hourStart(hour)
                let end = Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000)
                for (index, line) in lines.enumerated() where line.hourlyTokens[hour] != 0 || line.hourlyCost[hour] != 0 {
                    try body(index, UsageRow(start: start, end: end, key: line.key, tokens: line.hourlyTokens[hour],
                                             cost: line.hourlyCost[hour]))
                }
            }
        } else {
            for day in buckets.days {
                for (index, line) in lines.enumerated() {
                    var tokens: Int64 = 0
                    var cost: Decimal = 0
                    for hour in day.hours {
                        tokens += line.hourlyTokens[hour]
                        cost += line.hourlyCost[hour]
                    }
                    if tokens != 0 || cost != 0 {
                        try body(index, UsageRow(start: day.start, end: day.end, key: line.key, tokens: tokens, cost: cost))
                    }
                }
            }
        }
    }

    /// Allocated totals per team in report order, with tokens per type.
    public var byTeam: [Group] { allocation.byTeam }

    private func group(_ name: (UsageKey) -> String) -> [Group] {
        var groups: [String: Group] = [:]
        for line in lines {
            let label = name(line.key)
            groups[label, default: Group(name: label)].tokens += line.tokens
            groups[label, default: Group(name: label)].cost += line.cost
            groups[label, default: Group(name: label)].tokensByType[line.key.tokenType, default: 0] += line.tokens
        }
        return groups.values.sorted { $0.name < $1.name }
    }
}

extension Report {
    /// Rounds the exact costs of a partition of the usage (gateways, models, days) to cents with
    /// the largest-remainder method, so the shown amounts add up exactly to ``totalCents``.
    public func cents(_ exact: [Decimal]) -> [Decimal] {
        Money.largestRemainder(exact, total: totalCents)
    }

    /// ``byGateway``, ``byModel`` or any other partition with its costs in cents that add up to the total.
    public func inCents(_ groups: [Group]) -> [Group] {
        zip(groups, cents(groups.map(\.cost))).map { group, cents in
            var rounded = group
            rounded.cost = cents
            return rounded
        }
    }
}
