import ChargebackCore
import Foundation

/// The synthetic month behind the million-line-item workbook, shared by `LargeWorkbookTests` and
/// `chargeback-xlsx-bench`: hourly cost lines for October 2026 (UTC), 20 models per gateway, all
/// allocated to one team.
public enum LargeWorkbookData {
    public struct Parts {
        public let period: Period
        public let buckets: Buckets
        public let lines: [CostLine]
        public let allocation: Allocation
    }

    /// Enough cost lines for at least `rows` hourly line items.
    public static func make(rows: Int) throws -> Parts {
        let period = try Period.parse("2026-10", in: TimeZone(identifier: "UTC")!)
        let buckets = Buckets(period: period)
        let count = (rows + buckets.hourCount - 1) / buckets.hourCount
        let price = Decimal(3) / 1_000_000
        let lines = (0..<count).map { index -> CostLine in
            let tokens = (0..<buckets.hourCount).map { Int64(1000 + ($0 * 7 + index) % 500) }
            return CostLine(
                key: UsageKey(
                    gateway: "ns/gateway-\(index / 20)", model: "model-\(index % 20)",
                    tokenType: "input", system: "anthropic"),
                hourlyTokens: tokens, hourlyCost: tokens.map { Decimal($0) * price }, cacheTokensExcluded: 0,
                unpriced: false)
        }
        let teams = TeamBook(
            teams: [Team(name: "All")], rules: [TeamRule(match: [:], action: .team("All"), origin: "t:1")],
            unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: lines, book: teams,
            dimensions: UsageDimensions(labels: LabelNames(), extraLabels: []),
            teamsFile: "t", buckets: buckets.ledgerBuckets(hourly: true),
            hourly: true)
        return Parts(period: period, buckets: buckets, lines: lines, allocation: allocation)
    }
}
