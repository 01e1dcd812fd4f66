import ChargebackCore
import ChargebackStores
import Foundation
import Logging
import TestSupport
import XCTest

/// agentgateway's request log in a real PostgreSQL server (its schema exactly, ``RequestLogScript``)
/// attributing a real Prometheus' counters: two gateways without any user label, a log covering
/// 97 % of their tokens; config files read as `chargeback report` reads them.
final class AttributionLogTests: XCTestCase {
    let users: [(name: String, weight: Int64)] = [("ann@example.com", 1), ("bob@example.com", 2), ("o'hara", 3)]
    let perMinute: Int64 = 1000
    let start = DateText.parseInstant("2026-10-01T00:00:00Z")!

    func counters() -> [RemoteWriter.Series] {
        let first = start.addingTimeInterval(-3600).millis
        let last = start.addingTimeInterval(49 * 3600).millis
        return ["agentgateway-system/gw1", "agentgateway-system/gw2"].map { gateway in
            var value = 0.0
            let floats = stride(from: first, through: last, by: 60_000).map { time -> (Int64, Double) in
                value += Double(perMinute)
                return (time, value)
            }
            return RemoteWriter.Series(
                labels: [
                    "__name__": "agentgateway_gen_ai_client_token_usage_sum", "gateway": gateway,
                    "gen_ai_request_model": "claude-sonnet-4-5", "gen_ai_token_type": "input",
                    "gen_ai_system": "anthropic", "job": "agentgateway", "pod": String(gateway.suffix(3)) + "-0",
                ], floats: floats)
        }
    }

    /// chargeback.yaml, pricing.yaml and teams.yaml in `folder`; with `attribution` its block.
    func config(_ folder: TemporaryFolder, prometheus: String, attribution: String?) throws -> ChargebackConfig {
        let files = [
            "pricing.yaml": """
            models:
              - { match: "claude-sonnet-4-5*", prices: [ { from: 2026-01-01, input: 3, output: 15 } ] }
            """,
            "teams.yaml": """
            teams: [ { name: Search }, { name: Research } ]
            rules:
              - { match: { gateway: "*/gw1" }, team: Search }
              - { match: { gateway: "*/gw2" }, team: Research }
            """,
            "chargeback.yaml": """
            prometheus: { url: "\(prometheus)" }
            pricing: pricing.yaml
            teams: teams.yaml
            """ + (attribution.map { "\nattribution: \($0)\n" } ?? "\n"),
        ]
        for (name, text) in files { try text.write(to: folder.file(name), atomically: true, encoding: .utf8) }
        return try ConfigLoader.load(path: folder.file("chargeback.yaml").path)
    }

    func report(_ config: ChargebackConfig) async throws -> Report {
        let request = ReportRequest(
            period: try Period.range(from: "2026-10-01", to: "2026-10-03", in: TimeZone(identifier: "UTC")!),
            formats: [], hourly: false, outputDirectory: FileManager.default.temporaryDirectory, commandLine: [],
            now: BackendReport.now)
        return try await PrometheusClient.using(settings: config.prometheus, logger: Logger(label: "test")) { client in
            var pipeline = ReportPipeline(config: config, client: client, logger: Logger(label: "test"))
            let log = try await RequestLogOpener.open(config)
            pipeline.requestLog = log
            do {
                let report = try await pipeline.buildReport(request)
                await log?.close()
                return report
            } catch {
                await log?.close()
                throw error
            }
        }
    }

    func testTheLogSplitsTheCountersAndTeamsPayTheSameCents() async throws {
        let server = try PostgresServer.shared()
        let prometheus = try await LiveScraper(
            .prometheus, scrapeConfig: "scrape_configs: []\n",
            extraFlags: ["--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=10y"])
        defer { prometheus.stop() }
        try await RemoteWriter.send(counters(), to: prometheus.url)

        let name = PostgresServer.databaseName("cb_agw_log")
        let url = try server.createDatabase(name)
        let world = RequestLogWorld(users: users, coveragePercent: 97)
        let hours = (0..<48).map { start.addingTimeInterval(Double($0) * 3600) }
        let records = ["agentgateway-system/gw1", "agentgateway-system/gw2"].flatMap {
            world.records(hours: hours, gateway: $0, model: "claude-sonnet-4-5", counted: perMinute * 60)
        }
        try server.execute(RequestLogScript.script(records, dialect: .postgres), in: name)

        let folder = TemporaryFolder("cb-attribution-live")
        let plain = try await report(config(folder, prometheus: prometheus.url, attribution: nil))
        let attributed = try await report(
            config(folder, prometheus: prometheus.url, attribution: "{ source: agentgateway-log, url: \"\(url)\" }"))
        XCTAssertEqual(plain.allocation.cost(of: "Search"), Decimal(string: "8.64"))
        for team in ["Search", "Research"] {
            XCTAssertEqual(attributed.allocation.cost(of: team), plain.allocation.cost(of: team), team)
        }
        let identities = try XCTUnwrap(attributed.identities)
        let shares = world.shares(of: perMinute * 60)
        for team in ["Search", "Research"] {
            let figures = Dictionary(
                uniqueKeysWithValues: identities.figures(of: team).map { ($0.identity, $0.tokens) })
            XCTAssertEqual(
                figures,
                [
                    "ann@example.com": shares[0] * 48, "bob@example.com": shares[1] * 48, "o'hara": shares[2] * 48,
                    "unattributed": 1_800 * 48,
                ], team)
        }
        let summary = try XCTUnwrap(attributed.attribution)
        XCTAssertEqual(summary.source, url)
        XCTAssertEqual(summary.coverage.map(\.percent), [97, 97, 97, 97])
        XCTAssertEqual(summary.percent, 97)
        XCTAssertFalse(
            attributed.diagnostics.contains { $0.message.contains("request log") }, "\(attributed.diagnostics)")

        // The API key's name from attributes_json, matched by model across gateways.
        let keys = try await report(
            config(
                folder, prometheus: prometheus.url,
                attribution: "{ source: agentgateway-log, url: \"\(url)\", identity: api_key, match: model }"))
        XCTAssertEqual(keys.identities?.label, "agw_api_key_name")
        XCTAssertEqual(
            keys.identities?.figures(of: "Search").first { $0.identity == "key-o'hara" }?.tokens, shares[2] * 48)
        XCTAssertEqual(keys.attribution?.coverage.map(\.gateway), ["*", "*"])

        // A database without the table: exit 64, naming the URL.
        let empty = try server.createDatabase(PostgresServer.databaseName("cb_empty"))
        do {
            _ = try await report(
                config(
                    folder, prometheus: prometheus.url, attribution: "{ source: agentgateway-log, url: \"\(empty)\" }"))
            XCTFail("a database without request_logs")
        } catch let error as RequestLogError {
            XCTAssertEqual(error.exitCode, 64)
            XCTAssertTrue(error.localizedDescription.contains(empty), error.localizedDescription)
        }
    }

    /// Records at an hour's edges, with cache tokens, an API key, no gateway or user, and odd text:
    /// the SQLite and the PostgreSQL reader sum them alike, to the hour and the straddling band.
    func testBothReadersSumTheSameRecordsAlike() async throws {
        let hour = start.addingTimeInterval(3600)
        func at(_ seconds: Double) -> Date { hour.addingTimeInterval(seconds) }
        let records = [
            RequestLogRecord(
                completedAt: at(0), gateway: "ns/gw", requestModel: "m", user: "ann", apiKey: "k1", input: 100,
                output: 10, cacheRead: 40, cacheWrite: 5),
            RequestLogRecord(
                completedAt: at(3539.999), gateway: "ns/gw", requestModel: "m", user: "ann", apiKey: "k1", input: 1,
                output: 2),
            RequestLogRecord(
                completedAt: at(3540.5), gateway: "ns/gw", requestModel: "m", user: "ann", apiKey: "k1", input: 7,
                output: 3, cacheRead: 2),
            RequestLogRecord(
                completedAt: at(3599.75), gateway: nil, requestModel: nil, responseModel: "r", user: nil,
                input: 11, output: nil),
            RequestLogRecord(
                completedAt: at(3600), gateway: "ns/gw", requestModel: "m", user: "o'hara\n=1+1", apiKey: nil,
                input: 1000, output: 1),
            RequestLogRecord(
                completedAt: at(-0.001), gateway: "ns/gw", requestModel: "m", user: "before", input: 5),
        ]
        let folder = TemporaryFolder("cb-attribution-readers")
        let path = folder.file("requests.db").path
        try RequestLogScript.writeSQLite(records, to: path)
        let server = try PostgresServer.shared()
        let name = PostgresServer.databaseName("cb_agw_edges")
        let url = try server.createDatabase(name)
        try server.execute(RequestLogScript.script(records, dialect: .postgres), in: name)
        var answers: [[String]] = []
        for location in [
            StoreSettings.Location.sqlite(path: path), .postgres(url: URL(string: url)!, password: nil, tls: nil),
        ] {
            for identity in AttributionIdentity.allCases {
                let log = try await RequestLogOpener.open(
                    AttributionSettings(database: StoreSettings(location: location), identity: identity))
                // The period starts at `hour`: hour 0 is its first hour, the record before it is left out.
                let rows = try await log.read(
                    RequestLogQuery(
                        startSeconds: Int64(hour.timeIntervalSince1970),
                        endSeconds: Int64(hour.timeIntervalSince1970) + 7200,
                        identity: identity, bandSeconds: 60))
                await log.close()
                answers.append(
                    rows.map {
                        "\(identity.rawValue) \($0.hour) \($0.gateway ?? "-") \($0.requestModel ?? "-") \($0.responseModel ?? "-") "
                            + "\($0.identity ?? "-") \($0.tokens) \($0.tail)"
                    }.sorted())
            }
        }
        XCTAssertEqual(Array(answers.prefix(3)), Array(answers.suffix(3)), "SQLite and PostgreSQL agree")
        XCTAssertEqual(
            answers[0],
            [
                "user 0 - - r - [11, 0, 0, 0] [11, 0, 0, 0]",
                "user 0 ns/gw m - ann [108, 15, 42, 5] [7, 3, 2, 0]",
                "user 1 ns/gw m - o'hara\n=1+1 [1000, 1, 0, 0] [0, 0, 0, 0]",
            ])
        XCTAssertEqual(
            answers[2].filter { $0.contains("k1") }, ["api_key 0 ns/gw m - k1 [108, 15, 42, 5] [7, 3, 2, 0]"])
    }
}
