import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class TrueUpTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])
    let book = PriceBook(
        currency: "USD",
        models: [
            ModelPricing(match: Glob("claude-*"), prices: []), ModelPricing(match: Glob("gpt-*"), prices: []),
        ], unpriced: .warn)

    /// 300 random usage and invoice sets: the teams' cents add up to the invoices (plus what no
    /// invoice names), and a team that used nothing is never charged, whatever the invoices' signs.
    func testTeamsPayExactlyTheInvoicesOverManyRandomSets() throws {
        var random = SeededRandom(state: 2026)
        let period = try Period.parse("2026-10-01", in: utc).start
        for round in 0..<300 {
            let days = random.int(1...4)
            let buckets = Buckets(
                period: Period(
                    label: "r", start: period, end: period.addingTimeInterval(Double(days) * 86_400),
                    timeZone: utc))
            let providers = ["anthropic", "openai", "aws.bedrock"]
            let models = ["anthropic": "claude-a", "openai": "gpt-b", "aws.bedrock": "claude-c"]
            var lines: [CostLine] = []
            for gateway in 0..<random.int(1...4) {
                for provider in providers where random.int(0...2) > 0 {
                    var cost = [Decimal](repeating: 0, count: buckets.hourCount)
                    var tokens = [Int64](repeating: 0, count: buckets.hourCount)
                    for hour in cost.indices where random.int(0...3) == 0 {
                        cost[hour] = Decimal(random.int(1...900_000)) / 10_000
                        tokens[hour] = Int64(random.int(1...100_000))
                    }
                    lines.append(
                        CostLine(
                            key: UsageKey(
                                gateway: "g\(gateway)", model: models[provider]!, tokenType: "output",
                                system: provider),
                            hourlyTokens: tokens, hourlyCost: cost, cacheTokensExcluded: 0, unpriced: false))
                }
            }
            lines.sort { $0.key < $1.key }
            var invoiceLines: [InvoiceLine] = []
            for day in 0..<days {
                for provider in ["anthropic", "openai"] where random.int(0...3) > 0 {
                    let start = period.addingTimeInterval(Double(day) * 86_400)
                    let amount = Decimal(random.int(-2_000...90_000)) / 100 + Decimal(random.int(0...99)) / 10_000
                    invoiceLines.append(
                        InvoiceLine(
                            record: "r", provider: provider,
                            model: random.int(0...5) == 0 ? "mystery-\(provider)" : models[provider]!,
                            start: start, end: start.addingTimeInterval(86_400), amount: amount,
                            currency: "USD", description: ""))
                }
            }
            let invoice = Invoice(file: "i", format: .focus, lines: invoiceLines, sha256: "")
            let trued = TrueUp.lines(lines, invoices: [invoice], buckets: buckets, book: book)
            let teams = TeamBook(
                teams: [Team(name: "A"), Team(name: "B"), Team(name: "Idle")],
                rules: [
                    TeamRule(match: ["gateway": Glob("g0")], action: .team("A"), origin: "t:1"),
                    TeamRule(match: ["gateway": Glob("g1")], action: .split([("A", 30), ("B", 70)]), origin: "t:2"),
                    TeamRule(match: ["gateway": Glob("*")], action: .team("B"), origin: "t:3"),
                ], unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: trued.lines, book: TrueUp.book(teams), dimensions: dimensions,
                teamsFile: "t", buckets: buckets.ledgerBuckets(hourly: false))
            // Invoiced total, plus the measured cost of providers no invoice names (Bedrock, and any
            // provider this round's invoice left out).
            let invoiced = Set(invoiceLines.map(\.provider))
            let notInvoiced = lines.filter { !invoiced.contains($0.key.system) }.reduce(Decimal(0)) { $0 + $1.cost }
            let expected = Money.round(invoiceLines.reduce(Decimal(0)) { $0 + $1.amount } + notInvoiced)
            let teamSum = allocation.teamOrder.reduce(Decimal(0)) { $0 + allocation.cost(of: $1) }
            XCTAssertEqual(teamSum, expected, "round \(round)")
            XCTAssertEqual(allocation.roundedTotal, expected, "round \(round)")
            XCTAssertEqual(allocation.cost(of: "Idle"), 0, "round \(round): a team that used nothing pays nothing")
            // Uncovered amounts go to Unallocated, never to a team; covered ones only to teams with usage there.
            let uncovered = trued.lines.filter { $0.key.tokenType == TrueUp.invoiceOnlyType }
            XCTAssertEqual(uncovered.isEmpty, trued.diagnostics.isEmpty, "round \(round)")
            for row in allocation.rows where row.key.tokenType == TrueUp.invoiceOnlyType {
                XCTAssertEqual(row.team, TeamBook.unallocatedName, "round \(round)")
            }
            // A team with no measured usage gets no cents at all, of either sign.
            let measured = try Allocator.allocate(
                lines: lines, book: teams, dimensions: dimensions, teamsFile: "t",
                buckets: buckets.ledgerBuckets(hourly: false))
            for team in ["A", "B"] where measured.rows.allSatisfy({ $0.team != team || $0.tokens == 0 }) {
                XCTAssertEqual(allocation.cost(of: team), 0, "round \(round): \(team) used nothing")
            }
        }
    }
}
