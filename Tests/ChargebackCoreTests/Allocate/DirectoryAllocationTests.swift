import TestSupport
import XCTest

@testable import ChargebackModel

/// The identity directory: 3,000 users over 5 teams, 5 of them moving mid-month, each team's cents
/// the exact per-user cost split at the move hours; identities it does not list go to the fallback.
final class DirectoryAllocationTests: XCTestCase {
    let teamNames = ["A", "B", "C", "D", "E", "Platform"]
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: ["user_id"])
    /// 2026-11-01T00:00:00Z, the period's first hour; the period is 30 days.
    let start: Int64 = 1_793_491_200
    let hourCount = 720

    /// The directory CSV: users 0..<3000 in team `i % 5`; users 0..<5 move at `moves[i]` to the next team;
    /// users 3000..<3010 are not listed.
    func directoryText(moves: [String]) -> String {
        var text = "identity,team,from,to\n"
        for user in 0..<3000 {
            let team = teamNames[user % 5]
            if user < moves.count {
                let next = teamNames[(user + 1) % 5]
                text += "u\(user),\(team),,\(moves[user])\nu\(user),\(next),\(moves[user]),\n"
            } else {
                text += "u\(user),\(team),,\n"
            }
        }
        return text
    }

    func testTeamsGetEachUsersCostSplitAtTheMoveHour() throws {
        // Moves at a whole hour and inside one (13:30: hour 13 stays with the old team).
        let moves = [
            "2026-11-14T13:00:00Z", "2026-11-14T13:30:00Z", "2026-11-20", "2026-11-03T01:00:00+01:00",
            "2026-11-29T23:00:00Z",
        ]
        let zone = TimeZone(identifier: "UTC")!
        let (directory, problems) = TeamDirectory.read(
            Data(directoryText(moves: moves).utf8), file: "people.csv", label: "user_id", zone: zone,
            knownTeams: Set(teamNames))
        XCTAssertEqual(problems, [])
        var book = TeamBook(
            teams: teamNames.map { Team(name: $0) },
            rules: [TeamRule(match: ["user_id": Glob("*")], action: .team("Platform"), origin: "teams.yaml:3")],
            unallocated: .report)
        book.directory = directory
        var random = SeededRandom(state: 32)
        var lines: [CostLine] = []
        var exact = [String: Decimal]()
        let hourStarts = (0..<hourCount).map { start + Int64($0) * 3600 }
        for user in 0..<3010 {
            var tokens = [Int64](repeating: 0, count: hourCount)
            var cost = [Decimal](repeating: 0, count: hourCount)
            for hour in 0..<hourCount where user < 5 || random.int(0...47) == 0 {
                tokens[hour] = Int64(random.int(1...100_000))
                cost[hour] = Decimal(tokens[hour]) * Decimal(string: "0.000003")!
                let team =
                    user >= 3000
                    ? "Platform" : directory.assignment(of: "u\(user)", at: hourStarts[hour])!.team
                exact[team, default: 0] += cost[hour]
            }
            lines.append(
                CostLine(
                    key: UsageKey(gateway: "g", model: "m", tokenType: "input", system: "s", extras: ["u\(user)"]),
                    hourlyTokens: tokens, hourlyCost: cost, cacheTokensExcluded: 0, unpriced: false))
        }
        let days = stride(from: 0, to: hourCount, by: 24).map { $0..<($0 + 24) }
        let clock = ContinuousClock()
        var allocation: Allocation?
        let took = try clock.measure {
            allocation = try Allocator.allocate(
                lines: lines, book: book, dimensions: dimensions, teamsFile: "teams.yaml", buckets: days,
                hourStarts: hourStarts)
        }
        let result = try XCTUnwrap(allocation)
        print("allocated 3,010 users × 720 hours in \(took)")
        let cent = Decimal(string: "0.01")!
        for team in teamNames {
            let difference = result.cost(of: team) - Money.round(exact[team] ?? 0, scale: 2)
            XCTAssertLessThanOrEqual(difference.magnitude, cent, team)
        }
        XCTAssertEqual(result.roundedTotal, Money.round(exact.values.reduce(0, +), scale: 2))
        // The moved user u1: its hours up to 13:00 on the 14th (hour 325 included) with A's neighbour B.
        let moveHour = 13 * 24 + 13
        let hourly = result.splitIntoHours(lines: lines, hourCount: hourCount, minorUnits: 2)
        let cellsOfLine = Dictionary(grouping: hourly.ledger.cells, by: \.line)
        var checked = 0
        for (index, line) in hourly.ledger.lines.enumerated() where line.key.extras == ["u1"] {
            let teams = Set((cellsOfLine[index] ?? []).map(\.team))
            XCTAssertEqual(teams, [line.hours.lowerBound <= moveHour ? 1 : 2], "hour \(line.hours.lowerBound)")
            checked += 1
        }
        XCTAssertEqual(checked, hourCount)
        for team in teamNames {
            XCTAssertEqual(hourly.cost(of: team), result.cost(of: team))
            let cells = hourly.ledger.cells.filter { hourly.teamOrder[$0.team] == team }.reduce(Decimal(0)) {
                $0 + $1.cost
            }
            XCTAssertEqual(cells, result.cost(of: team), team)
        }
        // The ten unlisted users, in the fallback team and named with their cost.
        XCTAssertEqual(Set(result.unlisted.map(\.identity)), Set((3000..<3010).map { "u\($0)" }))
        XCTAssertEqual(
            result.unlisted.reduce(Decimal(0)) { $0 + $1.cost }, exact["Platform"] ?? 0)
        XCTAssertTrue(result.diagnostics.contains { $0.message.contains("10 identities with usage (cost ") })
    }

    func testMalformedDuplicatedAndOverlappingRowsAreNamedWithLineAndField() {
        let text = """
            identity,team,from,to
            alice,A,2026-11-01,2026-11-15
            alice,B,2026-11-10,
            bob,A,,
            bob,A,,
            carol,Z,,
            dave,A,yesterday,
            erin,A
            ,A,,
            frank,A,2026-11-05,2026-11-01
            """
        let (directory, problems) = TeamDirectory.read(
            Data(text.utf8), file: "people.csv", label: "user_id", zone: TimeZone(identifier: "UTC")!,
            knownTeams: ["A", "B"])
        let described = problems.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
        XCTAssertEqual(
            described,
            [
                "3:3 from: 'alice' overlaps line 2 in time",
                "5:1 identity: 'bob' duplicates line 4",
                "6:2 team: 'Z' is not a team of teams.yaml",
                "7:3 from: 'yesterday' is not a date (YYYY-MM-DD) or an RFC 3339 time",
                "8:0 expected 4 fields, found 2",
                "9:1 identity: empty",
                "10:4 to: not after 'from'",
            ])
        XCTAssertEqual(directory.entries.keys.sorted(), ["alice", "bob"])
    }

    func testTenThousandRowsLoadWellUnderASecond() {
        var text = "identity,team,from,to\n"
        for row in 0..<10_000 {
            text +=
                row % 2 == 0 ? "user\(row)@example.com,A,,\n" : "user\(row)@example.com,B,2026-11-0\(row % 9 + 1),\n"
        }
        let data = Data(text.utf8)
        let clock = ContinuousClock()
        var problems: [InputError] = []
        var count = 0
        let took = clock.measure {
            let read = TeamDirectory.read(
                data, file: "people.csv", label: "user_id", zone: TimeZone(identifier: "UTC")!, knownTeams: ["A", "B"])
            problems = read.problems
            count = read.directory.entries.count
        }
        print("read 10,000 directory rows in \(took)")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(count, 10_000)
        XCTAssertLessThan(took, .milliseconds(500))
    }
}
