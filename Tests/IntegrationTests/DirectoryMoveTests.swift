import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// A directory against the real Prometheus of the sample October, its identities the models: one
/// moves from Search to Research at 13:00 on the 14th, one is not listed. Each team's cents are the
/// exact cost of its identities' hours (within the ledger's rounding), the same per day and per
/// hour, and the unlisted one is in the fallback with its cost.
final class DirectoryMoveTests: XCTestCase {
    static let moved = "claude-sonnet-4-5-20250929"
    static let unlisted = "gpt-4o-2024-08-06"

    static func directory(_ config: inout ChargebackConfig) {
        let csv = """
            identity,team,from,to
            claude-3-5-haiku-20241022,Search,,
            \(moved),Search,,2026-10-14T13:00:00Z
            \(moved),Research,2026-10-14T13:00:00Z,
            """
        let (directory, problems) = TeamDirectory.read(
            Data(csv.utf8), file: "people.csv", label: "model", zone: config.timeZone,
            knownTeams: Set(config.teams.teams.map(\.name)))
        precondition(problems.isEmpty, "\(problems)")
        config.teams.directory = directory
    }

    func testTeamsPayTheirIdentitiesHoursSplitAtTheMove() async throws {
        let world = try SampleWorld.get()
        let clock = ContinuousClock()
        let start = clock.now
        let day = try await BackendReport.build(url: world.url, configure: Self.directory)
        let hour = try await BackendReport.build(url: world.url, hourly: true, configure: Self.directory)
        let plain = try await BackendReport.build(url: world.url)
        print("three sample-month reports in \(clock.now - start)")
        XCTAssertEqual(CSVReports.teams(hour), CSVReports.teams(day), "the same cents per hour and per day")
        XCTAssertEqual(day.roundedTotal, plain.roundedTotal, "the directory moves cents, never makes them")
        // The exact cost per team: the directory's models by the hour's start, the rest as the rules say
        // (the unlisted model's rows carry the exact share the rules gave each team).
        var config = try ConfigLoader.load(
            path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
        Self.directory(&config)
        let directory = try XCTUnwrap(config.teams.directory)
        let hourStarts = day.buckets.hourStarts
        var exact: [String: Decimal] = [:]
        for line in day.lines where line.key.model != Self.unlisted {
            for (hour, cost) in line.hourlyCost.enumerated() where cost != 0 {
                let placed = try XCTUnwrap(
                    directory.assignment(of: line.key.model, at: hourStarts[hour])?.team, "hour \(hour)")
                exact[placed, default: 0] += cost
            }
        }
        for row in day.allocation.rows where row.key.model == Self.unlisted {
            exact[row.team, default: 0] += row.exactCost
        }
        let cent = Decimal(string: "0.01")!
        for team in day.allocation.teamOrder {
            let difference = day.allocation.cost(of: team) - Money.round(exact[team] ?? 0, scale: 2)
            XCTAssertLessThanOrEqual(difference.magnitude, cent, "\(team): \(day.allocation.cost(of: team))")
        }
        XCTAssertEqual(day.allocation.unlisted.map(\.identity), [Self.unlisted])
        let unlistedCost = day.lines.filter { $0.key.model == Self.unlisted }.reduce(Decimal(0)) { $0 + $1.cost }
        XCTAssertEqual(day.allocation.unlisted.first?.cost, unlistedCost)
        // The moved model's rows name the directory's lines in each team.
        let rules = Set(day.allocation.rows.filter { $0.key.model == Self.moved }.map { "\($0.team) \($0.rule)" })
        XCTAssertTrue(rules.isSuperset(of: ["Search people.csv:3", "Research people.csv:4"]), "\(rules)")
    }
}
