import Logging
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackModel
@testable import ChargebackRender
@testable import ChargebackStoreSQLite

/// A whole report whose identities come from agentgateway's request log (an SQLite file with its
/// real schema, written by ``RequestLogScript``), against ``InMemoryBackend``: counters without any
/// user label on two gateways, a log that covers 97 % of their tokens.
final class AttributionReportTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let metric = "agentgateway_gen_ai_client_token_usage_sum"
    static let evil = "=HYPERLINK(\"http://x\")|it's"
    let log = RequestLogWorld(
        users: [("ann@example.com", 1), ("bob@example.com", 2), (AttributionReportTests.evil, 3)], coveragePercent: 97)
    /// Input tokens per minute on each gateway: 60,000 an hour.
    let perMinute: Int64 = 1000
    var hours: [Date] {
        let start = DateText.parseInstant("2026-10-01T00:00:00Z")!
        return (0..<48).map { start.addingTimeInterval(Double($0) * 3600) }
    }

    func counters() -> [InMemoryBackend.Series] {
        let first = DateText.parseInstant("2026-09-30T23:00:00Z")!.millis
        let last = DateText.parseInstant("2026-10-03T01:00:00Z")!.millis
        return ["gw1", "gw2"].map { gateway in
            var value = 0.0
            let samples = stride(from: first, through: last, by: 60_000).map { time -> (Int64, Double) in
                value += Double(perMinute)
                return (time, value)
            }
            return InMemoryBackend.Series(
                labels: [
                    "__name__": metric, "gateway": gateway, "gen_ai_request_model": "dear-model",
                    "gen_ai_token_type": "input", "gen_ai_system": "anthropic", "pod": "\(gateway)-a",
                ], samples: samples)
        }
    }

    func config(logPath: String?, pseudonymize: Bool = false) -> ChargebackConfig {
        var metrics = MetricSettings()
        metrics.cost = nil
        var config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://in-memory.invalid")!), metrics: metrics,
            pricing: InMemoryReportTests.priceBook, teams: InMemoryReportTests.teamBook, timeZone: utc,
            thresholds: Thresholds(), gapFactor: 1.5, files: [])
        if let logPath {
            config.attribution = AttributionSettings(database: StoreSettings(location: .sqlite(path: logPath)))
        }
        if pseudonymize {
            setenv("CHARGEBACK_TEST_IDENTITY_KEY", "a key of the platform team", 1)
            config.identities = IdentitySettings(pseudonymize: true, key: .environment("CHARGEBACK_TEST_IDENTITY_KEY"))
        }
        return config
    }

    func run(_ config: ChargebackConfig, output: URL) async throws -> ReportOutcome {
        let backend = InMemoryBackend(series: counters(), settings: config.prometheus)
        let request = ReportRequest(
            period: try Period.range(from: "2026-10-01", to: "2026-10-03", in: utc),
            formats: [.csv, .markdown, .xlsx], hourly: false, outputDirectory: output, splitByTeam: true,
            commandLine: ["chargeback", "report"], now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        var pipeline = ReportPipeline(config: config, client: backend, logger: Logger(label: "test"))
        if case .sqlite(let path)? = config.attribution?.database.location {
            pipeline.requestLog = try SQLiteRequestLog(path: path)
        }
        return try await pipeline.run(request)
    }

    func writeLog(_ folder: TemporaryFolder) throws -> String {
        let path = folder.file("requests.db").path
        let counted = perMinute * 60
        try RequestLogScript.writeSQLite(
            ["gw1", "gw2"].flatMap { log.records(hours: hours, gateway: $0, model: "dear-model", counted: counted) },
            to: path)
        return path
    }

    func testEveryIdentityGetsItsShareOfTheCountersAndTeamsPayTheSameCents() async throws {
        let folder = TemporaryFolder("cb-attribution")
        let path = try writeLog(folder)
        let plain = try await run(config(logPath: nil), output: folder.file("plain"))
        let attributed = try await run(config(logPath: path), output: folder.file("attributed"))
        // The counters stay the totals: every team's cents as without the log.
        for team in ["Search", "Research"] {
            XCTAssertEqual(
                attributed.report.allocation.cost(of: team), plain.report.allocation.cost(of: team), team)
        }
        XCTAssertEqual(plain.report.allocation.cost(of: "Search"), Decimal(string: "8.64"))
        // Each identity: its logged tokens, 97 % of 60,000 an hour split 1:2:3, over 48 hours.
        let identities = try XCTUnwrap(attributed.report.identities)
        XCTAssertEqual(identities.label, "agentgateway_user")
        let shares = log.shares(of: perMinute * 60)
        XCTAssertEqual(shares, [9_700, 19_400, 29_100])
        for team in ["Search", "Research"] {
            let figures = Dictionary(
                uniqueKeysWithValues: identities.figures(of: team).map { ($0.identity, $0) })
            for (user, share) in zip(log.users.map(\.name), shares) {
                XCTAssertEqual(figures[user]?.tokens, share * 48, "\(team) \(user)")
            }
            XCTAssertEqual(figures[Attribution.unattributed]?.tokens, 1_800 * 48)
            XCTAssertEqual(figures.values.reduce(0) { $0 + $1.tokens }, 60_000 * 48)
            XCTAssertEqual(
                figures.values.reduce(Decimal(0)) { $0 + $1.cost }, attributed.report.allocation.cost(of: team))
            // Each identity's cents are its tokens at $3 per million, within the ledger's rounding.
            for figure in figures.values {
                let exact = Decimal(figure.tokens) * 3 / 1_000_000
                XCTAssertLessThanOrEqual(abs(figure.cost - exact), Decimal(string: "0.01")!, figure.identity)
            }
        }
        // Coverage per gateway and day: 97 %.
        let summary = try XCTUnwrap(attributed.report.attribution)
        XCTAssertEqual(summary.coverage.count, 4)
        for row in summary.coverage {
            XCTAssertEqual(row.counted, 1_440_000)
            XCTAssertEqual(row.logged, 1_396_800)
            XCTAssertEqual(row.unattributed, 43_200)
            XCTAssertEqual(row.percent, 97)
        }
        XCTAssertEqual(summary.percent, 97)
        let files = Dictionary(
            uniqueKeysWithValues: try attributed.files.filter { $0.pathExtension != "xlsx" }.map {
                ($0.lastPathComponent, String(decoding: try Data(contentsOf: $0), as: UTF8.self))
            })
        let csv = try XCTUnwrap(files["chargeback-2026-10-01_2026-10-03-attribution.csv"])
        XCTAssertTrue(
            csv.contains("sqlite://\(path),agentgateway_user,gw1,2026-10-02,1440000,1396800,97.0,43200\n"), csv)
        XCTAssertTrue(csv.hasSuffix("sqlite://\(path),agentgateway_user,,,5760000,5587200,97.0,172800\n"), csv)
        let markdown = try XCTUnwrap(files["chargeback-2026-10-01_2026-10-03.md"])
        XCTAssertTrue(markdown.contains("| gw2 | 2026-10-01 | 1,440,000 | 1,396,800 | 97.0 % | 43,200 |"), markdown)
        XCTAssertTrue(markdown.contains("**97.0 %**"), markdown)
        XCTAssertTrue(markdown.contains("\\|it's"), "the pipe of a database row is escaped in the table")
        // Three people are active on each gateway; the unexplained part is no one.
        let economics = try XCTUnwrap(files["chargeback-2026-10-01_2026-10-03-unit-economics.csv"])
        XCTAssertTrue(economics.contains("Search,,8.64,2880000,3,0.003000,2.880000,,\n"), economics)
        // A team pack states the coverage of its own gateways only.
        let pack = try XCTUnwrap(files.first { $0.key.hasSuffix("-Research.md") }?.value)
        XCTAssertTrue(pack.contains("| gw2 | 2026-10-02 | 1,440,000 | 1,396,800 | 97.0 % | 43,200 |"), pack)
        XCTAssertFalse(pack.contains("| gw1 |"), pack)
        let people = try XCTUnwrap(files["chargeback-2026-10-01_2026-10-03-identities.csv"])
        XCTAssertTrue(people.contains("\"'=HYPERLINK(\"\"http://x\"\")|it's\""), people)
        XCTAssertTrue(people.contains("Search,agentgateway_user,unattributed,86400,86400,"), people)
    }

    func testPseudonymsHideTheLogsIdentitiesButNotTheUnattributedPart() async throws {
        let folder = TemporaryFolder("cb-attribution")
        let path = try writeLog(folder)
        let outcome = try await run(config(logPath: path, pseudonymize: true), output: folder.file("out"))
        XCTAssertGreaterThan(outcome.files.count, 5)
        for file in outcome.files where file.pathExtension != "xlsx" {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            for user in ["ann@example.com", "bob@example.com", "HYPERLINK"] {
                XCTAssertFalse(text.contains(user), "\(file.lastPathComponent) shows \(user)")
            }
        }
        let identities = try XCTUnwrap(outcome.report.identities)
        XCTAssertTrue(identities.pseudonymized)
        XCTAssertEqual(Set(identities.figures(of: "Search").map(\.identity)).count, 4)
        XCTAssertTrue(identities.figures.contains { $0.identity == Attribution.unattributed })
    }

    func testALogThatIsNoRequestLogIsRefusedNamingItsURL() throws {
        let folder = TemporaryFolder("cb-attribution")
        let missing = folder.file("absent.db").path
        XCTAssertThrowsError(try SQLiteRequestLog(path: missing)) { error in
            XCTAssertEqual(error as? RequestLogError, .unreachable(location: "sqlite://\(missing)", "no such file"))
            XCTAssertEqual((error as? ExitCodeError)?.exitCode, 1)
        }
        let empty = folder.file("empty.db").path
        XCTAssertEqual(
            try ChildProcess.runBlocking("/usr/bin/sqlite3", [empty, "CREATE TABLE other (x)"], environment: [:])
                .status,
            0)
        XCTAssertThrowsError(try SQLiteRequestLog(path: empty)) { error in
            XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            XCTAssertTrue(
                (error as? LocalizedError)?.errorDescription?.hasPrefix(
                    "the request log sqlite://\(empty): has no table")
                    == true, "\(error)")
        }
        let wrong = folder.file("wrong.db").path
        XCTAssertEqual(
            try ChildProcess.runBlocking(
                "/usr/bin/sqlite3", [wrong, "CREATE TABLE request_logs (id TEXT, completed_at TEXT, user TEXT)"],
                environment: [:]
            ).status, 0)
        XCTAssertThrowsError(try SQLiteRequestLog(path: wrong)) { error in
            XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            XCTAssertEqual(
                (error as? LocalizedError)?.errorDescription,
                "the request log sqlite://\(wrong): the table request_logs has no column gen_ai_request_model, "
                    + "gen_ai_response_model, input_tokens, output_tokens, agentgateway_user, agentgateway_group, "
                    + "attributes_json: not agentgateway's request log")
        }
    }
}
