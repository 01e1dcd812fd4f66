import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// Issue 32's first "must show", live: a per-user world (`generate-history --users`) backfilled into
/// a real Prometheus, a directory of its users over five teams with five moving mid-period (on the
/// hour and inside one) and some not listed. Each user's hourly tokens and requests are the
/// generator's truth; each team's cents are the exact per-user cost split at the move hours (within
/// the ledger's rounding); the unlisted are in the fallback with their cost; the requests per team
/// and model are the truth's, and the cost per request ties out to the teams' cents and the total.
///
/// The period starts an hour after the history: the backend's first samples are a data edge, whose
/// values are baselines rather than usage (README, "The edges of the data"), so the truth of that
/// first hour is not what any report of it shows.
///
/// `CHARGEBACK_USER_WORLD="users days scrape_seconds"` sizes the world (default `120 2 300`, under
/// a minute here); the 3,000 users is e.g. `3000 3 900`. `CHARGEBACK_USER_WORLD_DIR=DIR`
/// keeps the world (history, TSDB and people.csv) in DIR for a timed run of the binary, and reuses
/// a history already there.
final class UserDirectoryTests: XCTestCase {
    static let teams = ["A", "B", "C", "D", "E"]
    static let fallback = "Platform"
    static let start = DateText.parseInstant("2026-10-01T00:00:00Z")!
    /// Five movers: on the hour and inside one (that hour stays with the old team).
    static let moves = [
        "2026-10-01T13:00:00Z", "2026-10-01T13:30:00Z", "2026-10-02T00:00:00Z", "2026-10-02T09:45:00Z",
        "2026-10-01T23:00:00Z",
    ]

    func testEachTeamPaysItsUsersHoursSplitAtTheMovesAndCostPerRequestTiesOut() async throws {
        for tool in ["prometheus", "promtool"] where SampleWorld.which(tool) == nil {
            throw XCTSkip("\(tool) is not installed (Debian's 'prometheus' package)")
        }
        let size = (ProcessInfo.processInfo.environment["CHARGEBACK_USER_WORLD"] ?? "120 2 300")
            .split(separator: " ").compactMap { Int($0) }
        let (users, days, scrape) = (size[0], size[1], size[2])
        let kept = ProcessInfo.processInfo.environment["CHARGEBACK_USER_WORLD_DIR"].map(URL.init(fileURLWithPath:))
        let folder =
            kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("cb-people-\(UUID().uuidString)")
        defer { if kept == nil { try? FileManager.default.removeItem(at: folder) } }
        let history = folder.appendingPathComponent("history")
        let clock = ContinuousClock()
        let began = clock.now
        if !FileManager.default.fileExists(atPath: history.appendingPathComponent("truth-users-hourly.csv").path) {
            let generated = try SampleWorld.execute(
                SampleWorld.buildFolder.appendingPathComponent("generate-history").path,
                [
                    "--out", history.path, "--users", String(users), "--start", "2026-10-01T00:00:00Z",
                    "--days", String(days), "--scrape-interval", String(scrape), "--seed", "32", "--hourly-truth",
                ])
            XCTAssertEqual(generated.status, 0, generated.stderr)
        }
        let script = PackagePaths.root.appendingPathComponent("scripts/sample-prometheus.sh").path
        let started = try SampleWorld.run(
            script,
            [
                "start", "--history", history.appendingPathComponent("history.om").path,
                "--data", folder.appendingPathComponent("tsdb").path,
            ])
        let (url, pid) = try StartScript.server(started, prefix: "PROM")
        defer { _ = try? SampleWorld.run(script, ["stop", String(pid)]) }
        let loaded = clock.now

        // The directory: every user but the last ten, user i in team i % 5; users 0..<5 move to the next.
        var csv = "identity,team,from,to\n"
        for user in 0..<(users - 10) {
            let (name, team) = (Self.user(user), Self.teams[user % 5])
            if user < Self.moves.count {
                csv +=
                    "\(name),\(team),,\(Self.moves[user])\n\(name),\(Self.teams[(user + 1) % 5]),\(Self.moves[user]),\n"
            } else {
                csv += "\(name),\(team),,\n"
            }
        }
        let (directory, problems) = TeamDirectory.read(
            Data(csv.utf8), file: "people.csv", label: "user_id", zone: TimeZone(identifier: "UTC")!,
            knownTeams: Set(Self.teams + [Self.fallback]))
        XCTAssertEqual(problems, [])
        if kept != nil {
            try csv.write(to: folder.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        }
        let end = Self.start.addingTimeInterval(TimeInterval(days * 86400))
        let period = Period(
            label: "people", start: Self.start.addingTimeInterval(3600), end: end,
            timeZone: TimeZone(identifier: "UTC")!)
        let report = try await BackendReport.build(
            url: url, period: period, now: end.addingTimeInterval(2 * 86400)
        ) { config in
            var book = TeamBook(
                teams: (Self.teams + [Self.fallback]).map { Team(name: $0) },
                rules: [TeamRule(match: ["gateway": Glob("*")], action: .team(Self.fallback), origin: "teams.yaml:9")],
                unallocated: .report)
            book.directory = directory
            config.teams = book
        }
        let reported = clock.now

        // The truth per hour, gateway, model and user: tokens of each type and requests.
        let hourStarts = report.buckets.hourStarts
        let hourIndex = Dictionary(uniqueKeysWithValues: hourStarts.enumerated().map { ($1, $0) })
        var truthTokens: [String: Int64] = [:]
        var truthRequests: [String: [String: Decimal]] = [:]
        var totalRequests: Decimal = 0
        func team(_ user: String, _ second: Int64) -> String {
            directory.assignment(of: user, at: second)?.team ?? Self.fallback
        }
        let truthText = try String(
            contentsOf: history.appendingPathComponent("truth-users-hourly.csv"), encoding: .utf8)
        for row in truthText.split(separator: "\n").dropFirst() {
            let field = row.split(separator: ",").map(String.init)
            let second = Int64(DateText.parseInstant(field[0])!.timeIntervalSince1970)
            guard let hour = hourIndex[second] else { continue }
            truthTokens["\(field[1]) \(field[2]) input \(field[3]) \(hour)", default: 0] += Int64(field[4])!
            truthTokens["\(field[1]) \(field[2]) output \(field[3]) \(hour)", default: 0] += Int64(field[5])!
            truthRequests[team(field[3], second), default: [:]][field[2], default: 0] += Decimal(Int64(field[6])!)
            totalRequests += Decimal(Int64(field[6])!)
        }
        func userOf(_ key: UsageKey) -> String { report.facts.dimensions.value(of: "user_id", in: key) }
        var measuredTokens: [String: Int64] = [:]
        var exact: [String: Decimal] = [:]
        for line in report.lines {
            let user = userOf(line.key)
            for (hour, tokens) in line.hourlyTokens.enumerated() where tokens != 0 {
                measuredTokens["\(line.key.gateway) \(line.key.model) \(line.key.tokenType) \(user) \(hour)"] = tokens
                exact[team(user, hourStarts[hour]), default: 0] += line.hourlyCost[hour]
            }
        }
        let truthCells = truthTokens.filter { $0.value != 0 }
        XCTAssertGreaterThan(truthCells.count, 1000)
        XCTAssertEqual(measuredTokens.count, truthCells.count)
        XCTAssertEqual(
            truthCells.filter { measuredTokens[$0.key] != $0.value }.keys.sorted().prefix(5), [],
            "each user's tokens per hour")
        let cent = Decimal(string: "0.01")!
        for name in Self.teams + [Self.fallback] {
            let difference = report.allocation.cost(of: name) - Money.round(exact[name] ?? 0, scale: 2)
            XCTAssertLessThanOrEqual(difference.magnitude, cent, "\(name): \(report.allocation.cost(of: name))")
        }
        print(
            "\(users) users, \(days) days: generated and loaded in \(loaded - began), reported in \(reported - loaded); "
                + "\(report.lines.count) lines, \(totalRequests) requests (truth), total \(report.allocation.roundedTotal); "
                + (Self.teams + [Self.fallback]).map {
                    "\($0) \(report.allocation.cost(of: $0)) (exact \(exact[$0] ?? 0))"
                }
                .joined(separator: ", "))
        // The unlisted users are the fallback's, listed with their cost.
        let unlisted = Set((users - 10)..<users).map(Self.user)
        XCTAssertFalse(report.allocation.unlisted.isEmpty)
        XCTAssertTrue(Set(report.allocation.unlisted.map(\.identity)).isSubset(of: unlisted))
        let unlistedCost = report.lines.filter { unlisted.contains(userOf($0.key)) }
            .reduce(Decimal(0)) { $0 + $1.cost }
        XCTAssertEqual(report.allocation.unlisted.reduce(Decimal(0)) { $0 + $1.cost }, unlistedCost)

        // Requests: the truth's per team and model, and the cost per request ties out.
        let placed = try XCTUnwrap(report.allocation.requests, "requests measured")
        XCTAssertEqual(placed.unplaced, 0)
        for (name, models) in truthRequests {
            for (model, count) in models {
                XCTAssertEqual(placed.requests(team: name, model: model), count, "\(name) \(model)")
            }
        }
        let rows = report.unitEconomics
        let total = try XCTUnwrap(rows.last)
        XCTAssertEqual(total.requests, totalRequests)
        XCTAssertEqual(total.cost, report.allocation.roundedTotal)
        let teamRows = rows.filter { $0.team != nil && $0.model == nil }
        XCTAssertEqual(teamRows.compactMap(\.requests).reduce(0, +), totalRequests)
        for row in teamRows {
            XCTAssertEqual(row.cost, report.allocation.cost(of: row.team!))
            XCTAssertEqual(row.costPerRequest, row.cost / row.requests!)
        }
        let table = try CSVParser.rows(CSVReports.unitEconomics(rows, currency: report.currency.code))
        let header = try XCTUnwrap(table.first)
        let perRequest = try XCTUnwrap(header.firstIndex(of: "cost_per_request_usd"))
        let requestColumn = try XCTUnwrap(header.firstIndex(of: "requests"))
        XCTAssertEqual(Decimal(string: table.last![requestColumn]), totalRequests)
        XCTAssertEqual(
            Decimal(string: table.last![perRequest]), Money.round(total.cost / totalRequests, scale: 6))
        // The sheet: the requests, and the cost per request as a formula of the row's cost and requests.
        let workbook = folder.appendingPathComponent("people.xlsx")
        try WorkbookRenderer.write(report, to: workbook.path)
        let sheet = try XCTUnwrap(try WorkbookCells.sheets(of: workbook)["Unit economics"])
        XCTAssertEqual(sheet[0].suffix(2), ["Requests", "Cost per request"])
        XCTAssertEqual(sheet.count, rows.count + 1)
        XCTAssertEqual(Decimal(string: sheet[rows.count][7]), totalRequests)
        let cached = try XCTUnwrap(Double(sheet[rows.count][8]))
        XCTAssertEqual(cached, Money.double(total.cost / totalRequests), accuracy: 1e-12)
        let xml = try ChildProcess.runBlocking(
            "/usr/bin/unzip", ["-p", workbook.path, "xl/worksheets/*.xml"], environment: [:])
        XCTAssertTrue(
            String(decoding: xml.output, as: UTF8.self).contains("<f>C\(rows.count + 1)/H\(rows.count + 1)</f>"),
            "the total's cost per request is a formula")
        let markdown = try MarkdownRenderer().render(report, reproduce: "")
        XCTAssertTrue(markdown.contains("| Requests | Per request |"), "the Markdown shows the cost per request")
    }

    static func user(_ index: Int) -> String {
        let digits = String(index + 1)
        return "user-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}
