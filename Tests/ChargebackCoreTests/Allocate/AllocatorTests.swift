import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class AllocatorTests: XCTestCase {
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])
    let teams = [Team(name: "A"), Team(name: "B"), Team(name: "C")]

    func line(_ gateway: String, _ model: String = "m", cost: Decimal, tokens: Int64 = 1000) -> CostLine {
        CostLine(
            key: UsageKey(gateway: gateway, model: model, tokenType: "input", system: "s"), hourlyTokens: [tokens],
            hourlyCost: [cost], cacheTokensExcluded: 0, unpriced: false)
    }

    func rule(_ gateway: String, _ action: RuleAction) -> TeamRule {
        TeamRule(match: ["gateway": Glob(gateway)], action: action, origin: "teams.yaml:\(gateway)")
    }

    func testTeamCentsAlwaysAddUpToTheTotalOverManyRandomSets() throws {
        var random = SeededRandom(state: 7)
        for round in 0..<300 {
            let gateways = (0..<random.int(1...12)).map { "g\($0)" }
            let lines = gateways.map { gateway in
                line(
                    gateway, cost: Decimal(random.int(0...5_000_000)) / Decimal(random.int(1...10_000)),
                    tokens: Int64(random.int(0...1_000_000)))
            }
            var rules: [TeamRule] = []
            for gateway in gateways where random.int(0...4) > 0 {
                switch random.int(0...3) {
                case 0: rules.append(rule(gateway, .team(teams[random.int(0...2)].name)))
                case 1:
                    let a = Decimal(random.int(1...99))
                    rules.append(rule(gateway, .split([("A", a), ("B", 100 - a)])))
                case 2: rules.append(rule(gateway, .shared(.even)))
                default:
                    rules.append(
                        rule(
                            gateway,
                            .shared(
                                random.int(0...1) == 0
                                    ? .proportional
                                    : .weights(["A": 2, "C": Decimal(random.int(1...5))]))))
                }
            }
            let book = TeamBook(teams: teams, rules: rules, unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: lines, book: book, dimensions: dimensions, teamsFile: "t", buckets: [0..<1])
            let exactTotal = lines.reduce(Decimal(0)) { $0 + $1.cost }
            XCTAssertEqual(allocation.roundedTotal, Money.round(exactTotal), "round \(round)")
            XCTAssertEqual(
                allocation.rows.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal, "round \(round)")
            let teamSum = allocation.teamOrder.reduce(Decimal(0)) { $0 + allocation.cost(of: $1) }
            XCTAssertEqual(teamSum, allocation.roundedTotal, "round \(round)")
            XCTAssertTrue(allocation.rows.allSatisfy { $0.cost >= 0 && $0.tokens >= 0 }, "round \(round)")
            XCTAssertEqual(
                allocation.rows.reduce(0) { $0 + $1.tokens }, lines.reduce(0) { $0 + $1.tokens }, "round \(round)")
            // Each team's cents are within one cent of its exact share.
            for team in allocation.teamOrder {
                let exact = allocation.rows.filter { $0.team == team }.reduce(Decimal(0)) { $0 + $1.exactCost }
                let difference = abs(Money.double(allocation.cost(of: team) - exact))
                XCTAssertLessThan(difference, 0.01 + 1e-9, "round \(round) team \(team)")
            }
        }
    }

    func testSplitIsWithinOneCentOfItsPercentages() throws {
        let book = TeamBook(teams: teams, rules: [rule("*", .split([("A", 60), ("B", 40)]))], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: [line("g", cost: Decimal(string: "100.015")!)], book: book,
            dimensions: dimensions, teamsFile: "t", buckets: [0..<1])
        XCTAssertEqual(allocation.roundedTotal, Decimal(string: "100.02"))
        XCTAssertEqual(allocation.cost(of: "A") + allocation.cost(of: "B"), Decimal(string: "100.02"))
        XCTAssertLessThanOrEqual(abs(Money.double(allocation.cost(of: "A")) - 60.009), 0.01)
        XCTAssertLessThanOrEqual(abs(Money.double(allocation.cost(of: "B")) - 40.006), 0.01)
    }

    func testSharedPoolsFollowTheirMode() throws {
        let direct = [line("a", cost: 30), line("b", cost: 10), line("shared", cost: 8)]
        func shares(_ mode: SharedMode) throws -> [Decimal] {
            let book = TeamBook(
                teams: teams,
                rules: [
                    rule("a", .team("A")), rule("b", .team("B")),
                    rule("shared", .shared(mode)),
                ], unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: direct, book: book, dimensions: dimensions, teamsFile: "t", buckets: [0..<1])
            return ["A", "B", "C"].map { team in
                allocation.rows.filter { $0.team == team && $0.key.gateway == "shared" }.reduce(0) { $0 + $1.cost }
            }
        }
        XCTAssertEqual(try shares(.proportional), [6, 2, 0])
        // $8 three ways: each share within a cent of 2.666…, together exactly 8.
        let even = try shares(.even)
        XCTAssertEqual(even.reduce(0, +), 8)
        XCTAssertTrue(even.allSatisfy { $0 == Decimal(string: "2.67")! || $0 == Decimal(string: "2.66")! }, "\(even)")
        XCTAssertEqual(try shares(.weights(["B": 1, "C": 3])), [0, 2, 6])
    }

    func testUnmatchedUsageIsShownOrRefused() throws {
        let lines = [line("a", cost: 5), line("stray", cost: 1)]
        let report = TeamBook(teams: teams, rules: [rule("a", .team("A"))], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: lines, book: report, dimensions: dimensions, teamsFile: "t", buckets: [0..<1])
        XCTAssertEqual(allocation.cost(of: TeamBook.unallocatedName), 1)
        XCTAssertEqual(allocation.teamOrder.last, TeamBook.unallocatedName)
        let strict = TeamBook(teams: teams, rules: [rule("a", .team("A"))], unallocated: .error)
        XCTAssertThrowsError(
            try Allocator.allocate(
                lines: lines, book: strict, dimensions: dimensions, teamsFile: "teams.yaml",
                buckets: [0..<1]))
    }
}

extension AllocatorTests {
    /// Rules may look at labels beyond the four logical ones (a `route`, a `team` label).
    func testRulesMatchExtraLabels() throws {
        let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: ["route"])
        let key = dimensions.key(for: [
            "gateway": "g", "gen_ai_request_model": "m", "gen_ai_token_type": "input",
            "route": "kgateway-system/search-route",
        ])
        let line = CostLine(key: key, hourlyTokens: [10], hourlyCost: [5], cacheTokensExcluded: 0, unpriced: false)
        let book = TeamBook(
            teams: teams,
            rules: [
                TeamRule(match: ["route": Glob("*/search-*")], action: .team("B"), origin: "t:1"),
                TeamRule(match: ["gateway": Glob("*")], action: .team("A"), origin: "t:2"),
            ], unallocated: .report)
        let allocation = try Allocator.allocate(
            lines: [line], book: book, dimensions: dimensions, teamsFile: "t", buckets: [0..<1])
        XCTAssertEqual(allocation.cost(of: "B"), 5)
        XCTAssertEqual(book.extraLabelKeys, ["route"])
    }

    /// agentgateway's response model is `unknown` when no response came: the fallback label is used.
    func testModelFallsBackWhenUnknown() {
        var labels = LabelNames()
        labels.model = "gen_ai_response_model"
        labels.modelFallback = "gen_ai_request_model"
        let dimensions = UsageDimensions(labels: labels, extraLabels: [])
        XCTAssertEqual(
            dimensions.key(for: ["gen_ai_response_model": "unknown", "gen_ai_request_model": "claude-x"]).model,
            "claude-x")
        XCTAssertEqual(
            dimensions.key(for: [
                "gen_ai_response_model": "claude-x-20250101",
                "gen_ai_request_model": "claude-x",
            ]).model, "claude-x-20250101")
    }
}
