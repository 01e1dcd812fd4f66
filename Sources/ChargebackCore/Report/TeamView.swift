import Foundation

extension Report {
    /// This report narrowed to what one team pays for, for its own workbook and Markdown.
    ///
    /// Each usage line becomes the team's share of it: hour by hour, the cost times the team's
    /// share of the line's cost (its exact allocated cost ÷ the line's cost), and the team's
    /// allocated tokens spread over the hours like the line's tokens (whole tokens, largest
    /// remainder), so days and line items add up to the team's rows. The allocation keeps only
    /// the team's rows. Organisation-wide thresholds and the dashboard comparison concern the
    /// total, so they are left out; the team's budget stays.
    public func scoped(toTeam team: String) -> Report {
        let rows = allocation.rows.filter { $0.team == team }
        var shares: [UsageKey: (tokens: Int64, cost: Decimal)] = [:]
        for row in rows {
            shares[row.key, default: (0, 0)].tokens += row.tokens
            shares[row.key, default: (0, 0)].cost += row.exactCost
        }
        let scopedLines: [CostLine] = lines.compactMap { line in
            guard let share = shares[line.key] else { return nil }
            let ratio: Decimal = line.cost != 0 ? share.cost / line.cost : 0
            let tokens = line.tokens == 0 ? line.hourlyTokens.map { _ in Int64(0) }
                : Money.splitTokens(share.tokens, weights: line.hourlyTokens.map { Decimal($0) })
            let cost = line.hourlyCost.map { $0 * ratio }
            let excluded = line.tokens == 0 ? 0 : Int64(truncating: NSDecimalNumber(decimal: Money.round(
                Decimal(line.cacheTokensExcluded) * Decimal(share.tokens) / Decimal(line.tokens), scale: 0)))
            return CostLine(key: line.key, hourlyTokens: tokens, hourlyCost: cost, cacheTokensExcluded: excluded,
                            unpriced: line.unpriced)
        }
        let scopedAllocation = Allocation(rows: rows, teamOrder: [team],
                                          totalCents: rows.reduce(Decimal(0)) { $0 + $1.cost })
        let assessment = Assess.assess(lines: scopedLines, allocation: scopedAllocation, buckets: buckets,
                                       period: period, thresholds: Thresholds(),
                                       teams: config.teams.teams.filter { $0.name == team })
        return Report(toolVersion: toolVersion, generatedAt: generatedAt, period: period, buckets: buckets,
                      partial: partial, prometheusURL: prometheusURL, config: config, lines: scopedLines,
                      allocation: scopedAllocation, assessment: assessment, coverage: coverage, queries: queries,
                      diagnostics: diagnostics)
    }

    /// The report scoped to each team with usage, in allocation order, for the team packs.
    public func teamViews() -> [(team: String, report: Report)] {
        allocation.teamOrder.map { ($0, scoped(toTeam: $0)) }
    }
}
