import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The ledger of cents: random rule sets and usage, every set it keeps within one cent of its exact
/// amount (computed here from the rules, not from the ledger), the total exact, nothing negative.
final class LedgerTests: XCTestCase {
    /// A small deterministic generator so failures reproduce.

    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: [])
    let oneCent = Decimal(string: "0.01")!

    /// Percentages summing to 100 over `count` teams: equal thirds and the like, or uneven and some tiny.
    func percentages(_ count: Int, _ random: inout SeededRandom) -> [Decimal] {
        var parts: [Decimal]
        if random.int(0...2) == 0 {
            parts = Array(repeating: Decimal(100) / Decimal(count), count: count)
        } else {
            let weights = (0..<count).map { _ in Decimal(random.int(1...1000)) }
            let sum = weights.reduce(0, +)
            parts = weights.map { Money.round($0 * 100 / sum, scale: 2, .down) }
        }
        parts[count - 1] = 100 - parts.dropLast().reduce(0, +)
        return parts
    }

    func testEveryTeamLineCellAndRowIsWithinOneCentAndTheTotalIsExact() throws {
        var random = SeededRandom(state: 2026)
        for round in 0..<60 {
            let teams = (0..<random.int(1...22)).map { Team(name: "T\($0)") }
            let hours = random.int(1...72)
            let hourly = random.int(0...3) == 0
            let buckets =
                hourly
                ? (0..<hours).map { $0..<($0 + 1) }
                : stride(from: 0, to: hours, by: 24).map { $0..<min($0 + 24, hours) }
            let gateways = (0..<random.int(1...6)).map { "g\($0)" }
            var lines: [CostLine] = []
            for gateway in gateways {
                for model in (0..<random.int(1...3)).map({ "m\($0)" }) {
                    for type in ["input", "output", "input_cache_read"] where random.int(0...3) > 0 {
                        let cost = (0..<hours).map { _ in random.cost() }
                        let tokens = cost.map {
                            $0 == 0 && random.int(0...1) == 0 ? 0 : Int64(random.int(0...2_000_000))
                        }
                        let billable = tokens.map { $0 - Int64(random.int(0...Int($0 / 3))) }
                        let cut = random.int(0...hours)
                        var stretches = [
                            PriceStretch(hours: 0..<cut, perMillion: 3, since: Date(timeIntervalSince1970: 0)),
                            PriceStretch(hours: cut..<hours, perMillion: nil, since: nil),
                        ]
                        stretches.removeAll { $0.hours.isEmpty }
                        lines.append(
                            CostLine(
                                key: UsageKey(gateway: gateway, model: model, tokenType: type, system: "s"),
                                hourlyTokens: tokens, hourlyBillable: billable, hourlyCost: cost,
                                stretches: stretches, cacheTokensExcluded: 0, unpriced: false))
                    }
                }
            }
            // A rule per gateway: a team, a split into many small shares, a shared pool, or none.
            var rules: [TeamRule] = []
            var fractions: [String: [(String, Decimal)]] = [:]
            var pooled: [String: SharedMode] = [:]
            for gateway in gateways {
                let origin = "teams.yaml:\(gateway)"
                switch random.int(0...5) {
                case 0:
                    let team = teams[random.int(0...teams.count - 1)].name
                    rules.append(TeamRule(match: ["gateway": Glob(gateway)], action: .team(team), origin: origin))
                    fractions[gateway] = [(team, 1)]
                case 1, 2:
                    let count = min(teams.count, random.int(1...20))
                    let chosen = Array(teams.map(\.name).prefix(count))
                    let percents = percentages(count, &random)
                    rules.append(
                        TeamRule(
                            match: ["gateway": Glob(gateway)], action: .split(Array(zip(chosen, percents))),
                            origin: origin))
                    fractions[gateway] = zip(chosen, percents).map { ($0, $1 / 100) }
                case 3, 4:
                    let mode: SharedMode = [
                        .even, .proportional,
                        .weights(
                            Dictionary(
                                uniqueKeysWithValues: teams.prefix(3).map {
                                    ($0.name, Decimal(random.int(1...7)))
                                })),
                    ][random.int(0...2)]
                    rules.append(TeamRule(match: ["gateway": Glob(gateway)], action: .shared(mode), origin: origin))
                    pooled[gateway] = mode
                default:
                    break
                }
            }
            // Shared pools follow the direct cost of the teams (or spread evenly when there is none).
            var direct: [String: Decimal] = [:]
            for line in lines {
                for (team, fraction) in fractions[line.key.gateway] ?? [] {
                    direct[team, default: 0] +=
                        line.cost * fraction
                }
            }
            for (gateway, mode) in pooled {
                var weights: [(String, Decimal)]
                switch mode {
                case .even: weights = teams.map { ($0.name, 1) }
                case .proportional: weights = teams.map { ($0.name, direct[$0.name] ?? 0) }
                case .weights(let table):
                    weights = teams.compactMap { team in table[team.name].map { (team.name, $0) } }
                }
                if weights.allSatisfy({ $0.1 == 0 }) { weights = teams.map { ($0.name, 1) } }
                let sum = weights.reduce(Decimal(0)) { $0 + $1.1 }
                fractions[gateway] = weights.filter { $0.1 > 0 }.map { ($0.0, $0.1 / sum) }
            }
            for gateway in gateways where fractions[gateway] == nil {
                fractions[gateway] = [(TeamBook.unallocatedName, 1)]
            }

            let book = TeamBook(teams: teams, rules: rules, unallocated: .report)
            let allocation = try Allocator.allocate(
                lines: lines, book: book, dimensions: dimensions, teamsFile: "t",
                buckets: buckets, hourly: hourly)
            let ledger = allocation.ledger
            let context = "round \(round)"

            // The grand total is the exact total rounded; every cell and row adds up to it.
            let exactTotal = lines.reduce(Decimal(0)) { $0 + $1.cost }
            XCTAssertEqual(allocation.roundedTotal, Money.round(exactTotal), context)
            XCTAssertEqual(ledger.cells.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal, context)
            XCTAssertEqual(allocation.rows.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal, context)
            XCTAssertTrue(ledger.cells.allSatisfy { $0.cost >= 0 && $0.tokens >= 0 && $0.billableTokens >= 0 }, context)
            XCTAssertTrue(ledger.cells.allSatisfy { $0.billableTokens <= $0.tokens }, context)
            XCTAssertTrue(allocation.rows.allSatisfy { $0.billableTokens <= $0.tokens }, context)

            func near(_ cents: Decimal, _ exact: Decimal, _ what: String) {
                XCTAssertLessThan(
                    abs(Money.double(cents - exact)), 0.01 + 1e-9, "\(context): \(what) \(cents) vs \(exact)")
                XCTAssertEqual(Money.round(cents), cents, "\(context): \(what) is not whole cents")
            }
            // Teams, keys (gateway × model × token type for the period) and gateways, against the rules.
            for team in allocation.teamOrder {
                let exact = lines.reduce(Decimal(0)) { sum, line in
                    sum + line.cost * (fractions[line.key.gateway]!.first { $0.0 == team }?.1 ?? 0)
                }
                near(allocation.cost(of: team), exact, "team \(team)")
            }
            let linesByKey = Dictionary(grouping: ledger.lines, by: \.key)
            let rowsByKey = Dictionary(grouping: allocation.rows, by: \.key)
            for line in lines where line.tokens != 0 || line.cost != 0 {
                let cents = (linesByKey[line.key] ?? []).reduce(Decimal(0)) { $0 + $1.cost }
                near(cents, line.cost, "line \(line.key)")
                XCTAssertEqual((rowsByKey[line.key] ?? []).reduce(Decimal(0)) { $0 + $1.cost }, cents, context)
                XCTAssertEqual((rowsByKey[line.key] ?? []).reduce(Int64(0)) { $0 + $1.tokens }, line.tokens, context)
                XCTAssertEqual(
                    (linesByKey[line.key] ?? []).reduce(Int64(0)) { $0 + $1.billableTokens }, line.billableTokens,
                    context)
            }
            for gateway in gateways {
                let exact = lines.filter { $0.key.gateway == gateway }.reduce(Decimal(0)) { $0 + $1.cost }
                near(
                    ledger.lines.filter { $0.key.gateway == gateway }.reduce(Decimal(0)) { $0 + $1.cost }, exact,
                    "gateway \(gateway)")
            }
            // Each ledger line (key × bucket × price) against the hours it holds, and its cells against their share.
            let cellsByLine = Dictionary(grouping: ledger.cells, by: \.line)
            let cellsByRow = Dictionary(grouping: ledger.cells, by: \.row)
            for (index, item) in ledger.lines.enumerated() {
                let source = lines[item.line]
                let exact = item.hours.reduce(Decimal(0)) { $0 + source.hourlyCost[$1] }
                near(item.cost, exact, "ledger line \(index)")
                XCTAssertTrue(
                    buckets[item.bucket].contains(item.hours.lowerBound)
                        && buckets[item.bucket].contains(item.hours.upperBound - 1), context)
                let cells = cellsByLine[index] ?? []
                XCTAssertEqual(cells.reduce(Decimal(0)) { $0 + $1.cost }, item.cost, context)
                XCTAssertEqual(cells.reduce(Int64(0)) { $0 + $1.tokens }, item.tokens, context)
                for cell in cells {
                    let fraction =
                        fractions[item.key.gateway]!.first { $0.0 == allocation.teamOrder[cell.team] }?.1 ?? 0
                    near(cell.cost, exact * fraction, "cell \(index)/\(cell.team)")
                    XCTAssertLessThan(
                        abs(Double(cell.tokens) - Money.double(Decimal(item.tokens) * fraction)), 1 + 1e-9,
                        context)
                }
            }
            // Each chargeback row against its cells' exact amounts.
            for (index, row) in allocation.rows.enumerated() {
                let cells = cellsByRow[index] ?? []
                XCTAssertEqual(cells.reduce(Decimal(0)) { $0 + $1.cost }, row.cost, context)
                near(row.cost, cells.reduce(Decimal(0)) { $0 + $1.exactCost }, "row \(index)")
            }
        }
    }

    /// The 20-way split of the sample month: a line of $68.11 (and one of $102.96) split 5 % each
    /// way over 20 teams used to be billed $68.20 (and $103.20); its rows now add up to the line.
    func testATwentyWaySplitAddsUpToEachLine() throws {
        let teams = (1...20).map { Team(name: "team-\($0)") }
        let split = RuleAction.split(teams.map { ($0.name, Decimal(5)) })
        let book = TeamBook(
            teams: teams, rules: [TeamRule(match: [:], action: split, origin: "teams.yaml:3")],
            unallocated: .report)
        let costs = [Decimal(string: "68.11")!, Decimal(string: "34.850981")!, Decimal(string: "0.05")!]
        let lines = costs.enumerated().map { index, cost in
            CostLine(
                key: UsageKey(
                    gateway: "agentgateway-batch", model: "claude-opus-4-1",
                    tokenType: [
                        "input", "output",
                        "input_cache_read",
                    ][index],
                    system: "anthropic"),
                hourlyTokens: [1_234_567, 7_654_321],
                hourlyCost: [
                    cost * Decimal(string: "0.4")!,
                    cost * Decimal(string: "0.6")!,
                ],
                cacheTokensExcluded: 0, unpriced: false)
        }
        let allocation = try Allocator.allocate(
            lines: lines, book: book, dimensions: dimensions, teamsFile: "t",
            buckets: [0..<1, 1..<2])
        for line in lines {
            let rows = allocation.rows.filter { $0.key == line.key }
            XCTAssertEqual(rows.count, 20)
            let cents = rows.reduce(Decimal(0)) { $0 + $1.cost }
            XCTAssertLessThan(abs(Money.double(cents - line.cost)), 0.01, "\(line.key.tokenType): \(cents)")
        }
        XCTAssertEqual(
            allocation.rows.filter { $0.key.tokenType == "input" }.reduce(Decimal(0)) { $0 + $1.cost },
            Decimal(string: "68.11"))
        XCTAssertEqual(allocation.roundedTotal, Money.round(costs.reduce(0, +)))
        XCTAssertEqual(allocation.rows.reduce(Decimal(0)) { $0 + $1.cost }, allocation.roundedTotal)
        for team in teams {
            XCTAssertLessThan(
                abs(Money.double(allocation.cost(of: team.name) - costs.reduce(0, +) / 20)), 0.01, team.name)
        }
    }

    /// Amounts become exact integers of 10⁻¹⁵ USD, past 64 bits too.
    func testAmountsBecomeUnitsExactly() {
        XCTAssertEqual(Ledger.units(Decimal(string: "123.456789")!), Int128(123_456_789) * 1_000_000_000)
        XCTAssertEqual(Ledger.units(Decimal(string: "12345678901234.5")!), Int128("12345678901234500000000000000")!)
        XCTAssertEqual(
            Ledger.units(Decimal(string: "99999999999999999.999999999999999")!),
            Int128("99999999999999999999999999999999")!)
        XCTAssertEqual(Ledger.units(Decimal(string: "0.0000000000000005")!), 1, "half a unit rounds away from zero")
        XCTAssertEqual(Ledger.units(Decimal(string: "0.0000000000000004")!), 0)
        XCTAssertEqual(Ledger.units(Decimal(string: "0.01")!), Ledger.unitsPerCent)
        XCTAssertEqual(Ledger.amount(minor: 32305), Decimal(string: "323.05"))
        XCTAssertEqual(Ledger.amount(minor: 32305, 0), Decimal(32305))
        XCTAssertEqual(Ledger.unitsPerMinor(0), Ledger.unitsPerCent * 100)
    }

    /// The integer path of ``Ledger/units(_:)`` agrees with Decimal arithmetic on amounts of every
    /// size and sign (up to 10²¹, where the Decimal path still fits), halves included, and on the
    /// edges of the integer path (18 digits, 10⁻³⁸ and 10¹⁹ shifts).
    func testUnitsAgreeWithDecimalArithmetic() {
        var generator = SystemRandomNumberGenerator()
        var amounts: [Decimal] = [
            Decimal(string: "999999999999999999")!, Decimal(string: "1000000000000000000")!,
            Decimal(string: "0.00000000000000000000000000000000000000000000000000005")!,
            Decimal(string: "-0.0000000000000015")!, Decimal(string: "-0.0000000000000025")!,
            Decimal(string: "0.0000000000000025")!, Decimal(string: "123456789012345678e4")!,
            Decimal(string: "1e19")!, Decimal(string: "5e-16")!, Decimal(string: "-5e-16")!,
        ]
        for _ in 0..<20_000 {
            let digits = Decimal(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63))
            let amount = Decimal(
                sign: Bool.random(using: &generator) ? .minus : .plus, exponent: Int.random(in: -40...2),
                significand: digits)
            amounts.append(amount)
            // A cost as pricing makes it: tokens × a price per token, sometimes divided by a rate.
            let cost = Decimal(Int.random(in: 0...50_000_000)) * Decimal(string: "0.000003217")!
            amounts.append(Bool.random(using: &generator) ? cost : cost / Decimal(string: "0.9137")!)
        }
        for amount in amounts {
            XCTAssertEqual(Ledger.units(amount), Ledger.decimalUnits(amount), "\(amount)")
        }
    }

    /// Rounding each margin on its own cannot work: here rounding the teams and the lines
    /// separately by largest remainder gives a team one cent that only the other team's line has.
    func testTheTwoWayRoundingKeepsRowsAndColumnsTogether() {
        var network = ControlledRounding()
        let source = network.addNode()
        let sink = network.addNode()
        let rows = [network.addNode(), network.addNode()]
        let columns = [network.addNode(), network.addNode()]
        let unit = Ledger.unitsPerCent
        let six = unit * 6 / 10
        var amounts: [Int128] = []
        network.addArc(sink, source)
        amounts.append(2 * six)
        for row in rows {
            network.addArc(source, row)
            amounts.append(six)
        }
        network.addArc(rows[0], columns[0])
        amounts.append(six)
        network.addArc(rows[1], columns[1])
        amounts.append(six)
        for column in columns {
            network.addArc(column, sink)
            amounts.append(six)
        }
        let rounded = network.rounded(
            amounts, unit: unit, priority: [UInt8](repeating: 1, count: amounts.count), steer: (0, 1))
        XCTAssertEqual(rounded[0], 1)
        XCTAssertEqual(rounded[1], rounded[3], "team 0 and its only cell")
        XCTAssertEqual(rounded[3], rounded[5], "that cell and its line")
        XCTAssertEqual(rounded[2], rounded[4])
        XCTAssertEqual(rounded[4], rounded[6])
        XCTAssertEqual(rounded[1] + rounded[2], 1)
    }
}

extension SeededRandom {
    /// A cost with up to eight decimals, zero a fifth of the time.
    mutating func cost() -> Decimal {
        int(0...4) == 0 ? 0 : Decimal(int(0...90_000_000)) / Decimal(sign: .plus, exponent: int(2...8), significand: 1)
    }
}
