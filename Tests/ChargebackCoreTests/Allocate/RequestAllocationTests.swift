import TestSupport
import XCTest

@testable import ChargebackModel

/// Requests follow their `input` line hour by hour like its tokens: a directory move at its hour,
/// a split in fractions; the unit economics divide each row's cents by its requests and the rows
/// tie out to the total; without requests the cost per request is undefined, never a division by zero.
final class RequestAllocationTests: XCTestCase {
    let dimensions = UsageDimensions(labels: LabelNames(), extraLabels: ["user_id"])
    /// 2026-11-01T00:00:00Z; four hours.
    let start: Int64 = 1_793_491_200
    let hourCount = 4

    func key(_ user: String, _ type: String, model: String = "m") -> UsageKey {
        UsageKey(gateway: "g", model: model, tokenType: type, system: "s", extras: [user])
    }

    func line(_ key: UsageKey, _ tokens: [Int64]) -> CostLine {
        CostLine(
            key: key, hourlyTokens: tokens, hourlyCost: tokens.map { Decimal($0) * Decimal(string: "0.001")! },
            cacheTokensExcluded: 0, unpriced: false)
    }

    func allocate(requests: [UsageKey: [Int64]]?) throws -> Allocation {
        // u1 moves from A to B at 02:00; u2 is not listed and split 25/75 by the rule.
        let (directory, problems) = TeamDirectory.read(
            Data("identity,team,from,to\nu1,A,,2026-11-01T02:00:00Z\nu1,B,2026-11-01T02:00:00Z,\n".utf8),
            file: "people.csv", label: "user_id", zone: TimeZone(identifier: "UTC")!, knownTeams: ["A", "B"])
        XCTAssertEqual(problems, [])
        var book = TeamBook(
            teams: [Team(name: "A"), Team(name: "B")],
            rules: [
                TeamRule(
                    match: ["user_id": Glob("*")], action: .split([("A", 25), ("B", 75)]), origin: "teams.yaml:3")
            ],
            unallocated: .report)
        book.directory = directory
        let lines = [
            line(key("u1", "input"), [10, 20, 30, 40]), line(key("u1", "output"), [1, 2, 3, 4]),
            line(key("u2", "input"), [5, 0, 5, 0]),
        ]
        return try Allocator.allocate(
            lines: lines, book: book, dimensions: dimensions, teamsFile: "teams.yaml", buckets: [0..<hourCount],
            hourStarts: (0..<hourCount).map { start + Int64($0) * 3600 }, requests: requests)
    }

    func testRequestsFollowTheMoveHourAndTheSplitAndTieOut() throws {
        // u1: 1+2 requests before the move (A), 3+4 after (B); u2: 8 split 2 / 6; a key with no
        // input usage (zero-token observations) is counted in no team.
        let requests: [UsageKey: [Int64]] = [
            key("u1", "input"): [1, 2, 3, 4], key("u2", "input"): [4, 0, 4, 0], key("u3", "input"): [0, 1, 0, 0],
        ]
        let allocation = try allocate(requests: requests)
        let placed = try XCTUnwrap(allocation.requests)
        XCTAssertEqual(placed.requests(team: "A"), 3 + 2)
        XCTAssertEqual(placed.requests(team: "B"), 7 + 6)
        XCTAssertEqual(placed.unplaced, 1)
        let rows = UnitEconomics.rows(allocation: allocation, dimensions: dimensions, label: "user_id")
        let total = try XCTUnwrap(rows.last)
        XCTAssertEqual(total.requests, 18)
        XCTAssertEqual(rows.filter { $0.team != nil && $0.model == nil }.compactMap(\.requests).reduce(0, +), 18)
        for row in rows {
            let requests = try XCTUnwrap(row.requests)
            XCTAssertEqual(row.costPerRequest, row.cost / requests, "\(row)")
        }
        // A's cents: u1's hours 0-1 (input 30, output 3 tokens at 0.001) and a quarter of u2's 10.
        let teamA = try XCTUnwrap(rows.first { $0.team == "A" && $0.model == nil })
        XCTAssertEqual(teamA.cost, allocation.cost(of: "A"))
        XCTAssertEqual(teamA.costPerRequest, allocation.cost(of: "A") / 5)
    }

    func testWithoutRequestsTheCostPerRequestIsUndefined() throws {
        let rows = UnitEconomics.rows(
            allocation: try allocate(requests: nil), dimensions: dimensions, label: "user_id")
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.requests == nil && $0.costPerRequest == nil })
        // Measured but none: zero requests, still no ratio.
        let none = UnitEconomics.rows(
            allocation: try allocate(requests: [:]), dimensions: dimensions, label: "user_id")
        XCTAssertTrue(none.allSatisfy { $0.requests == 0 && $0.costPerRequest == nil })
    }
}
