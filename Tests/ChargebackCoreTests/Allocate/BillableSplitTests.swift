import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Issue 28, item 1: a team's billable tokens never pass its measured tokens, and equal them where
/// nothing cached is inside `input` (the demo's 20-way split billed 836,496 of 836,495 tokens).
final class BillableSplitTests: XCTestCase {
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])

    /// Ten days of hourly usage of one gateway: OpenAI-style `input` with its cache reads inside
    /// (billable below measured), and Anthropic-style lines where billable equals measured.
    func lines(_ random: inout SeededRandom, gateway: String) -> [CostLine] {
        let hours = 240
        var lines: [CostLine] = []
        for (model, type, cached) in [
            ("gpt-4o", "input", true), ("gpt-4o", "input_cache_read", false), ("claude", "input", false),
            ("claude", "input_cache_read", false), ("claude", "input_cache_write", false), ("claude", "output", false),
        ] {
            let tokens = (0..<hours).map { _ in Int64(random.int(0...3_000_000)) }
            let billable = tokens.map { cached ? $0 - Int64(random.int(0...Int($0))) : $0 }
            lines.append(
                CostLine(
                    key: UsageKey(gateway: gateway, model: model, tokenType: type, system: "s"),
                    hourlyTokens: tokens, hourlyBillable: billable,
                    hourlyCost: billable.map { Decimal($0) * 3 / 1_000_000 },
                    stretches: [
                        PriceStretch(hours: 0..<hours, perMillion: 3, since: Date(timeIntervalSince1970: 0))
                    ],
                    cacheTokensExcluded: zip(tokens, billable).reduce(0) { $0 + $1.0 - $1.1 }, unpriced: false))
        }
        return lines
    }

    func testBillableTokensNeverPassTokensAndEqualThemWhereNothingIsCached() throws {
        var random = SeededRandom(state: 28)
        let teams = (1...20).map { Team(name: "team-\($0)") }
        let twenty = RuleAction.split(teams.map { ($0.name, Decimal(5)) })
        let uneven = RuleAction.split([("team-1", Decimal(string: "33.3")!), ("team-2", 33), ("team-3", 33.7)])
        for round in 0..<6 {
            let lines = lines(&random, gateway: "g1") + lines(&random, gateway: "g2") + lines(&random, gateway: "g3")
            let book = TeamBook(
                teams: teams,
                rules: [
                    TeamRule(match: ["gateway": Glob("g1")], action: twenty, origin: "teams.yaml:1"),
                    TeamRule(match: ["gateway": Glob("g2")], action: uneven, origin: "teams.yaml:2"),
                    TeamRule(match: ["gateway": Glob("g3")], action: .shared(.proportional), origin: "teams.yaml:3"),
                ], unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: lines, book: book, dimensions: dimensions, teamsFile: "t",
                buckets: stride(from: 0, to: 240, by: 24).map { $0..<($0 + 24) }, hourly: round % 3 == 2)
            let context = "round \(round)"
            let uncached = Set(lines.filter { $0.billableTokens == $0.tokens }.map(\.key))
            XCTAssertEqual(uncached.count, 15, context)
            for row in allocation.rows {
                XCTAssertGreaterThanOrEqual(row.billableTokens, 0, "\(context): \(row.team) \(row.key)")
                XCTAssertLessThanOrEqual(row.billableTokens, row.tokens, "\(context): \(row.team) \(row.key)")
                if uncached.contains(row.key) {
                    XCTAssertEqual(row.billableTokens, row.tokens, "\(context): \(row.team) \(row.key)")
                }
            }
            let lineOf = allocation.ledger.lines
            for cell in allocation.ledger.cells {
                XCTAssertTrue((0...cell.tokens).contains(cell.billableTokens), "\(context): cell \(cell)")
                if lineOf[cell.line].billableTokens == lineOf[cell.line].tokens {
                    XCTAssertEqual(cell.billableTokens, cell.tokens, "\(context): cell \(cell)")
                }
            }
            // Each key's rows still add up to its measured and billable tokens exactly.
            let rows = Dictionary(grouping: allocation.rows, by: \.key)
            for line in lines {
                XCTAssertEqual(rows[line.key]?.reduce(0) { $0 + $1.tokens }, line.tokens, context)
                XCTAssertEqual(rows[line.key]?.reduce(0) { $0 + $1.billableTokens }, line.billableTokens, context)
            }
        }
    }

    /// The cached tokens of a line follow its cells' whole tokens: all of them when all are cached,
    /// none when none are, and never more than a cell holds.
    func testACellsCachedShareNeverPassesItsTokens() {
        let unit = Ledger.unitsPerCent
        let weights: [Int128] = [1, 1, 1, 4, 0]
        let all = LedgerBuilder.proportional(7 * unit, weights: weights)
        XCTAssertEqual(all, weights.map { $0 * unit })
        XCTAssertEqual(LedgerBuilder.proportional(0, weights: weights), [0, 0, 0, 0, 0])
        for cached in 1..<7 {
            let parts = LedgerBuilder.proportional(Int128(cached) * unit, weights: weights)
            XCTAssertEqual(parts.reduce(0, +), Int128(cached) * unit)
            for (part, weight) in zip(parts, weights) {
                XCTAssertLessThanOrEqual(part, weight * unit, "\(cached) of 7 cached: \(parts)")
            }
        }
    }
}
