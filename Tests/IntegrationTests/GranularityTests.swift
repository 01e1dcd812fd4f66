import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The same cents whatever the view: the sample October, as it is and split 20 ways, has the same
/// teams.csv and chargeback.csv with an hourly ledger as with a daily one, and the hourly ledger's
/// cells add up to the daily ledger's, team by team, line by line and day by day.
final class GranularityTests: XCTestCase {
    /// Every gateway's usage split over 20 teams, ten at 6.5 % and ten at 3.5 %.
    static func twentyWay(_ config: inout ChargebackConfig) {
        let names = (1...20).map { String(format: "Team %02d", $0) }
        let split = names.enumerated().map { ($1, Decimal(string: $0 < 10 ? "6.5" : "3.5")!) }
        config.teams = TeamBook(
            teams: names.map { Team(name: $0) },
            rules: [TeamRule(match: ["gateway": Glob("*")], action: .split(split), origin: "teams.yaml:3")],
            unallocated: .report)
    }

    func testTeamsAndRowsHaveTheSameCentsHourlyAndDaily() async throws {
        let world = try SampleWorld.get()
        let setups: [(String, (inout ChargebackConfig) -> Void)] = [("sample", { _ in }), ("20-way", Self.twentyWay)]
        for (name, configure) in setups {
            let day = try await BackendReport.build(url: world.url, configure: configure)
            let hour = try await BackendReport.build(url: world.url, hourly: true, configure: configure)
            XCTAssertFalse(day.allocation.ledger.hourly)
            XCTAssertTrue(hour.allocation.ledger.hourly)
            XCTAssertEqual(CSVReports.teams(hour), CSVReports.teams(day), "\(name): teams.csv")
            XCTAssertEqual(CSVReports.chargeback(hour), CSVReports.chargeback(day), "\(name): chargeback.csv")
            XCTAssertEqual(hour.roundedTotal, day.roundedTotal, name)
            XCTAssertEqual(Self.cellSums(hour), Self.cellSums(day), "\(name): team × line × day")
            // An hour line is the sum of its cells, and its tokens are the hour's measured tokens where
            // one team takes the whole line.
            let ledger = hour.allocation.ledger
            var cents = [Decimal](repeating: 0, count: ledger.lines.count)
            var teams = [Int](repeating: 0, count: ledger.lines.count)
            for cell in ledger.cells {
                cents[cell.line] += cell.cost
                teams[cell.line] += 1
                XCTAssertLessThanOrEqual(cell.billableTokens, cell.tokens, name)
            }
            for (index, line) in ledger.lines.enumerated() {
                XCTAssertEqual(line.cost, cents[index], name)
                if teams[index] == 1 {
                    XCTAssertEqual(line.tokens, hour.lines[line.line].hourlyTokens[line.hours.lowerBound], name)
                }
            }
            if name == "20-way" { XCTAssertEqual(day.allocation.teamOrder.count, 20) }
        }
    }

    /// Cents, tokens and billable tokens per team, usage line and day of the period.
    static func cellSums(_ report: Report) -> [String: String] {
        let ledger = report.allocation.ledger
        let days = report.buckets.days
        var sums: [String: (cost: Decimal, tokens: Int64, billable: Int64)] = [:]
        for cell in ledger.cells {
            let line = ledger.lines[cell.line]
            let day = days.firstIndex { $0.hours.contains(line.hours.lowerBound) } ?? -1
            let key = "\(cell.team) \(line.line) \(day)"
            let known = sums[key] ?? (0, 0, 0)
            sums[key] = (known.cost + cell.cost, known.tokens + cell.tokens, known.billable + cell.billableTokens)
        }
        return sums.mapValues { "\($0.cost) \($0.tokens) \($0.billable)" }
    }
}
