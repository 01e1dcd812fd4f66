import Foundation

extension Allocation {
    /// This day ledger's allocation with its cells split into hours, for `--granularity hour`: each
    /// team's day cell keeps its cents and whole tokens, shared between the hours of its line in
    /// proportion to each hour's exact cost and measured tokens (largest remainder), so every day,
    /// week, month, team and chargeback row has the same cents at either granularity. An hour's
    /// line is the sum of its teams' hour cells.
    /// - Parameters:
    ///   - lines: the priced usage the day ledger was made of (``LedgerLine/line`` indexes it).
    ///   - hourCount: the hours of the period.
    func splitIntoHours(lines: [CostLine], hourCount: Int, minorUnits: Int) -> Allocation {
        let ledger = self.ledger
        let cellsOfLine = Dictionary(grouping: ledger.cells.indices, by: { ledger.cells[$0].line })
        var hourLines: [LedgerLine] = []
        var hourCells: [LedgerCell] = []
        let scale = pow(Decimal(10), minorUnits)
        for (index, day) in ledger.lines.enumerated() {
            let usage = lines[day.line]
            let hours = day.hours.filter { usage.hourlyTokens[$0] != 0 || usage.hourlyCost[$0] != 0 }
            guard !hours.isEmpty else { continue }
            let costWeights = hours.map { usage.hourlyCost[$0] }
            let tokenWeights = hours.map { Decimal(usage.hourlyTokens[$0]) }
            let cachedWeights = hours.map { Decimal(usage.hourlyTokens[$0] - usage.hourlyBillable[$0]) }
            var split: [[LedgerCell]] = hours.map { _ in [] }
            for cellIndex in cellsOfLine[index] ?? [] {
                let cell = ledger.cells[cellIndex]
                let minor = Self.splitMinor(Self.minor(cell.cost, scale), weights: costWeights)
                let tokens = Money.splitTokens(cell.tokens, weights: tokenWeights)
                let cached = Self.capped(
                    Money.splitTokens(cell.tokens - cell.billableTokens, weights: cachedWeights), by: tokens)
                let share: Decimal = day.exactCost != 0 ? cell.exactCost / day.exactCost : 0
                for position in hours.indices {
                    split[position].append(
                        LedgerCell(
                            team: cell.team, line: 0, row: cell.row, tokens: tokens[position],
                            billableTokens: tokens[position] - cached[position],
                            exactCost: usage.hourlyCost[hours[position]] * share,
                            cost: Ledger.amount(minor: minor[position], minorUnits)))
                }
            }
            for (position, hour) in hours.enumerated() {
                let cells = split[position]
                for cell in cells {
                    hourCells.append(
                        LedgerCell(
                            team: cell.team, line: hourLines.count, row: cell.row, tokens: cell.tokens,
                            billableTokens: cell.billableTokens, exactCost: cell.exactCost, cost: cell.cost))
                }
                hourLines.append(
                    LedgerLine(
                        line: day.line, key: day.key, bucket: hour, hours: hour..<(hour + 1), unitPrice: day.unitPrice,
                        tokens: cells.reduce(0) { $0 + $1.tokens },
                        billableTokens: cells.reduce(0) { $0 + $1.billableTokens },
                        exactCost: usage.hourlyCost[hour], cost: cells.reduce(Decimal(0)) { $0 + $1.cost }))
            }
        }
        var split = Allocation(
            rows: rows, teamOrder: teamOrder, roundedTotal: roundedTotal,
            ledger: Ledger(
                hourly: true, buckets: (0..<hourCount).map { $0..<($0 + 1) }, lines: hourLines, cells: hourCells))
        split.evenFallbacks = evenFallbacks
        split.unlisted = unlisted
        split.requests = requests
        return split
    }

    /// Cents as a whole number of the currency's smallest unit.
    private static func minor(_ amount: Decimal, _ scale: Decimal) -> Int64 {
        NSDecimalNumber(decimal: Money.round(amount * scale, scale: 0)).int64Value
    }

    /// `total` smallest units shared by `weights` of one sign (largest remainder), its sign kept.
    private static func splitMinor(_ total: Int64, weights: [Decimal]) -> [Int64] {
        let negative = total < 0 || (total == 0 && weights.allSatisfy { $0 <= 0 })
        let parts = Money.splitTokens(total.magnitude == 0 ? 0 : Int64(total.magnitude), weights: weights.map(abs))
        if parts.reduce(0, +) != Int64(total.magnitude) {
            // No weight to follow (every hour's exact cost is 0): all of it in the first hour.
            return weights.indices.map { $0 == 0 ? total : 0 }
        }
        return negative ? parts.map { -$0 } : parts
    }

    /// `cached` with no part above the `tokens` of its hour, the excess moved to hours with room
    /// (the whole never passes the tokens' whole).
    private static func capped(_ cached: [Int64], by tokens: [Int64]) -> [Int64] {
        var result = zip(cached, tokens).map { min($0, $1) }
        var excess = cached.reduce(0, +) - result.reduce(0, +)
        for index in result.indices where excess > 0 {
            let room = min(tokens[index] - result[index], excess)
            result[index] += room
            excess -= room
        }
        return result
    }
}
