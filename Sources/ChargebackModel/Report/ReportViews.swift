import Foundation

/// One calendar day of the report: tokens and cents summed from the ledger.
public struct DayFigure: Sendable, Equatable {
    public let day: Buckets.Day
    public var tokens: Int64 = 0
    public var billableTokens: Int64 = 0
    public var cost: Decimal = 0
    public var exactCost: Decimal = 0
}

/// One row of the usage table: a time bucket × gateway × model × token type.
public struct UsageRow: Sendable, Equatable {
    public let start: Date
    public let end: Date
    public let key: UsageKey
    public let tokens: Int64
    public let cost: Decimal
    /// Of `tokens`, those resting on an estimated counter start (``Coverage/estimated``).
    public var estimatedTokens: Int64 = 0
}

extension Report {
    /// Usage per gateway, sorted by name.
    public var byGateway: [Group] { views.byGateway }
    /// Usage per model, sorted by name.
    public var byModel: [Group] { views.byModel }
    /// Usage per token type, sorted by name.
    public var byTokenType: [Group] { views.byTokenType }

    /// Every calendar day of the period in the report time zone (empty ones too), from the ledger.
    public var byDay: [DayFigure] { views.byDay }

    /// Total billable tokens (cached tokens inside `input` counted once).
    public var billableTokens: Int64 { allocation.ledger.lines.reduce(0) { $0 + $1.billableTokens } }

    /// Usage rows per day (or per hour), gateway, model and token type, skipping empty ones.
    public func usageRows(hourly: Bool) -> [UsageRow] {
        var rows: [UsageRow] = []
        forEachUsageRow(hourly: hourly) { rows.append($0) }
        return rows
    }

    /// Calls `body` with each row of ``usageRows(hourly:)`` in the same order, without holding them
    /// all (a month of hourly rows for thousands of series is millions of rows).
    public func forEachUsageRow(hourly: Bool, _ body: (UsageRow) throws -> Void) rethrows {
        if hourly {
            for hour in 0..<buckets.hourCount {
                let start = buckets.hourStart(hour)
                let end = Date(timeIntervalSince1970: Double(buckets.hourEndMillis(hour)) / 1000)
                for line in lines where line.hourlyTokens[hour] != 0 || line.hourlyCost[hour] != 0 {
                    try body(
                        UsageRow(
                            start: start, end: end, key: line.key, tokens: line.hourlyTokens[hour],
                            cost: line.hourlyCost[hour],
                            estimatedTokens: estimatedTokens(line.key, hours: hour..<hour + 1)))
                }
            }
        } else {
            for day in buckets.days {
                for line in lines {
                    var tokens: Int64 = 0
                    var cost: Decimal = 0
                    for hour in day.hours {
                        tokens += line.hourlyTokens[hour]
                        cost.accumulate(line.hourlyCost[hour])
                    }
                    if tokens != 0 || cost != 0 {
                        try body(
                            UsageRow(
                                start: day.start, end: day.end, key: line.key, tokens: tokens, cost: cost,
                                estimatedTokens: estimatedTokens(line.key, hours: day.hours)))
                    }
                }
            }
        }
    }

    /// Whether any figure rests on an estimated counter start; the files then mark which.
    public var hasEstimates: Bool { !coverage.estimated.isEmpty }

    /// The tokens of `key` in `hours` that rest on an estimated counter start.
    public func estimatedTokens(_ key: UsageKey, hours: Range<Int>) -> Int64 {
        guard let row = coverage.estimated[key] else { return 0 }
        return hours.clamped(to: row.indices).reduce(0) { $0 + row[$1] }
    }

    /// Allocated totals per team in report order, with tokens per type.
    public var byTeam: [Group] { allocation.byTeam }
}
