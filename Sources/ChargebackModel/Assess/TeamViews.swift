import Foundation

/// Each team's own view of a report, for its workbook, Markdown and mail: the Allocate and Assess
/// stages run again on the team's share of the ledger.
public enum TeamViews {
    /// The report scoped to each team with usage, in allocation order, for the team packs.
    public static func all(_ report: Report) -> [(team: String, report: Report)] {
        report.allocation.teamOrder.map { ($0, view(of: report, team: $0)) }
    }

    /// `report` narrowed to what one team pays for, for its own workbook and Markdown.
    ///
    /// The ledger keeps only the team's cells, each becoming a line of its own, so the team's days,
    /// gateways, models and line items are sums of the same cents as the full report's. Each usage
    /// line the team has a share of becomes that exact share, hour by hour (for the measured
    /// figures), tokens spread over the hours like the line's (whole tokens, largest remainder). The
    /// allocation keeps only the team's rows. Organisation-wide thresholds and the dashboard
    /// comparison concern the total, so they are left out; the team's budget stays. The data
    /// quality events are those of the gateways the team uses. What changed,
    /// the trend and the forecast are the team's own share of them.
    public static func view(of report: Report, team: String) -> Report {
        let lines = report.lines
        let allocation = report.allocation
        let adjustments = report.adjustments
        let teamIndex = allocation.teamOrder.firstIndex(of: team) ?? -1
        var rowNumbers: [Int: Int] = [:]
        var rows: [AllocatedRow] = []
        for (index, row) in allocation.rows.enumerated() where row.team == team {
            rowNumbers[index] = rows.count
            rows.append(row)
        }
        let ledger = allocation.ledger
        var share = [Decimal](repeating: 0, count: lines.count)
        var tokenShare = [Int64](repeating: 0, count: lines.count)
        var billableShare = [Int64](repeating: 0, count: lines.count)
        var kept = [Bool](repeating: false, count: lines.count)
        for cell in ledger.cells where cell.team == teamIndex {
            let line = ledger.lines[cell.line].line
            share[line] += cell.exactCost
            tokenShare[line] += cell.tokens
            billableShare[line] += cell.billableTokens
            kept[line] = true
        }
        // The lines the team has a share of, each its exact share hour by hour.
        var newIndex = [Int](repeating: -1, count: lines.count)
        var scopedUsage: [CostLine] = []
        let hoursOf = teamHours(ledger, team: teamIndex, lineCount: lines.count)
        for (index, line) in lines.enumerated() where kept[index] {
            newIndex[index] = scopedUsage.count
            let ratio: Decimal = line.cost != 0 ? share[index] / line.cost : 0
            // A line the directory gives the team for some hours only (a move): its share in those hours.
            let own = hoursOf[index]
            func mask<T: Numeric>(_ values: [T]) -> [T] {
                guard let own else { return values }
                return values.indices.map { own.contains($0) ? values[$0] : 0 }
            }
            let hourlyCost: [Decimal]
            if let own {
                let inHours = own.reduce(Decimal(0)) { $0 + line.hourlyCost[$1] }
                let partRatio: Decimal = inHours != 0 ? share[index] / inHours : 0
                hourlyCost = mask(line.hourlyCost).map { $0 * partRatio }
            } else {
                hourlyCost = line.hourlyCost.map { $0 * ratio }
            }
            scopedUsage.append(
                CostLine(
                    key: line.key,
                    hourlyTokens: Money.splitTokens(
                        tokenShare[index], weights: mask(line.hourlyTokens).map { Decimal($0) }),
                    hourlyBillable: Money.splitTokens(
                        billableShare[index], weights: mask(line.hourlyBillable).map { Decimal($0) }),
                    hourlyCost: hourlyCost, stretches: line.stretches,
                    cacheTokensExcluded: tokenShare[index] - billableShare[index], unpriced: line.unpriced))
        }
        var scopedLines: [LedgerLine] = []
        var scopedCells: [LedgerCell] = []
        for cell in ledger.cells where cell.team == teamIndex {
            let line = ledger.lines[cell.line]
            scopedCells.append(
                LedgerCell(
                    team: 0, line: scopedLines.count, row: rowNumbers[cell.row] ?? 0,
                    tokens: cell.tokens, billableTokens: cell.billableTokens,
                    exactCost: cell.exactCost, cost: cell.cost))
            scopedLines.append(
                LedgerLine(
                    line: newIndex[line.line], key: line.key, bucket: line.bucket, hours: line.hours,
                    unitPrice: line.unitPrice, tokens: cell.tokens,
                    billableTokens: cell.billableTokens, exactCost: cell.exactCost,
                    cost: cell.cost))
        }
        let scopedAllocation = Allocation(
            rows: rows, teamOrder: [team], roundedTotal: rows.reduce(Decimal(0)) { $0 + $1.cost },
            ledger: Ledger(hourly: ledger.hourly, buckets: ledger.buckets, lines: scopedLines, cells: scopedCells))
        let assessment = Assess.assess(
            lines: scopedUsage, allocation: scopedAllocation, buckets: report.buckets, period: report.period,
            thresholds: Thresholds(), teams: report.facts.teams.filter { $0.name == team },
            net: adjustments.scoped(toTeam: team).netByTeam)
        let facts = report.facts
        return Report(
            toolVersion: report.toolVersion, generatedAt: report.generatedAt, period: report.period,
            buckets: report.buckets, partial: report.partial, prometheusURL: report.prometheusURL, facts: facts,
            lines: scopedUsage, allocation: scopedAllocation, assessment: assessment,
            coverage: report.coverage.scoped(toGateways: Set(rows.map(\.key.gateway)), label: facts.labels.gateway),
            queries: report.queries, diagnostics: report.diagnostics, cacheRules: report.cacheRules,
            adjustments: adjustments.scoped(toTeam: team), basis: report.basis, conversion: report.conversion,
            usageSources: report.usageSources, storeName: report.storeName
        )
        .with(comparison: report.comparison?.scoped(toTeam: team))
        .with(trend: report.trend?.scoped(toTeam: team))
        .with(forecast: report.forecast?.scoped(toTeam: team))
        .with(identities: report.identities?.scoped(toTeam: team))
        .with(attribution: report.attribution?.scoped(toGateways: Set(rows.map(\.key.gateway))))
    }
}

extension TeamViews {
    /// Per usage line, the hours of the team's cells when the team has cells on only some of the
    /// line's ledger lines (the directory moved its identity), or `nil` when it shares every one.
    static func teamHours(_ ledger: Ledger, team: Int, lineCount: Int) -> [Set<Int>?] {
        var pieces = [Int](repeating: 0, count: lineCount)
        var hours = [Set<Int>](repeating: [], count: lineCount)
        var withTeam = [Int](repeating: 0, count: lineCount)
        let teamLines = Set(ledger.cells.lazy.filter { $0.team == team }.map(\.line))
        for (index, line) in ledger.lines.enumerated() {
            pieces[line.line] += 1
            if teamLines.contains(index) { withTeam[line.line] += 1 }
        }
        let partial = (0..<lineCount).map { withTeam[$0] > 0 && withTeam[$0] < pieces[$0] }
        for (index, line) in ledger.lines.enumerated() where partial[line.line] && teamLines.contains(index) {
            hours[line.line].formUnion(line.hours)
        }
        return (0..<lineCount).map { partial[$0] ? hours[$0] : nil }
    }
}
