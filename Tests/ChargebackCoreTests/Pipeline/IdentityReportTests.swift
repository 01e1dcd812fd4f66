import Logging
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackModel
@testable import ChargebackRender

/// The in-memory world of these tests (also `validate --online`'s): four users, one moving, one unlisted.
struct IdentityWorld {
    let utc = TimeZone(identifier: "UTC")!
    let metric = "agentgateway_gen_ai_client_token_usage_sum"
    let evil = "=HYPERLINK(\"http://x\")|evil"
    let people = ["ann.lee@example.com", "bob.ray@example.com", "carol.diaz@example.com"]

    /// Per minute of input tokens: ann 100 and bob 200 on gw1, carol 50 on gw2, the unlisted one 10 on gw1.
    func world() -> [InMemoryBackend.Series] {
        let first = DateText.parseInstant("2026-09-30T23:00:00Z")!.millis
        let last = DateText.parseInstant("2026-10-03T01:00:00Z")!.millis
        let users: [(String, String, Double)] = [
            (people[0], "gw1", 100), (people[1], "gw1", 200), (people[2], "gw2", 50), (evil, "gw1", 10),
        ]
        return users.map { user, gateway, tokens in
            var value = 0.0
            let samples = stride(from: first, through: last, by: 60_000).map { time -> (Int64, Double) in
                value += tokens
                return (time, value)
            }
            return InMemoryBackend.Series(
                labels: [
                    "__name__": metric, "gateway": gateway, "gen_ai_request_model": "dear-model",
                    "gen_ai_token_type": "input", "gen_ai_system": "anthropic", "pod": "\(gateway)-a", "user_id": user,
                ], samples: samples)
        }
    }

    func config(pseudonymize: Bool) throws -> ChargebackConfig {
        let book = InMemoryReportTests.priceBook
        var teams = InMemoryReportTests.teamBook
        let csv = """
            identity,team,from,to
            \(people[0]),Search,,
            \(people[1]),Search,,2026-10-02T06:00:00Z
            \(people[1]),Research,2026-10-02T06:00:00Z,
            \(people[2]),Research,2026-09-01,
            """
        let (directory, problems) = TeamDirectory.read(
            Data(csv.utf8), file: "people.csv", label: "user_id", zone: utc, knownTeams: ["Search", "Research"])
        XCTAssertEqual(problems, [])
        teams.directory = directory
        var metrics = MetricSettings()
        metrics.cost = nil
        var config = ChargebackConfig(
            prometheus: PrometheusSettings(url: URL(string: "http://in-memory.invalid")!), metrics: metrics,
            pricing: book, teams: teams, timeZone: utc, thresholds: Thresholds(), gapFactor: 1.5, files: [])
        if pseudonymize {
            setenv("CHARGEBACK_TEST_IDENTITY_KEY", "a key of the platform team", 1)
            config.identities = IdentitySettings(pseudonymize: true, key: .environment("CHARGEBACK_TEST_IDENTITY_KEY"))
        }
        return config
    }
}

/// A whole report with a directory, against ``InMemoryBackend``: a user moving team mid-period, an
/// identity the directory does not list (and that tries to be a formula), the per-identity files,
/// the team packs showing only their own people, and pseudonyms that leave no identity in any file.
final class IdentityReportTests: XCTestCase {
    let identities = IdentityWorld()
    var people: [String] { identities.people }
    var evil: String { identities.evil }
    let utc = TimeZone(identifier: "UTC")!

    func run(pseudonymize: Bool) async throws -> (ReportOutcome, URL) {
        let config = try identities.config(pseudonymize: pseudonymize)
        let backend = InMemoryBackend(series: identities.world(), settings: config.prometheus)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let request = ReportRequest(
            period: try Period.range(from: "2026-10-01", to: "2026-10-03", in: utc),
            formats: [.csv, .markdown, .xlsx, .focus], hourly: false, outputDirectory: output, splitByTeam: true,
            commandLine: ["chargeback", "report"], now: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        let pipeline = ReportPipeline(config: config, client: backend, logger: Logger(label: "test"))
        return (try await pipeline.run(request), output)
    }

    /// Every file's text; a workbook's XML parts unzipped.
    func texts(_ files: [URL]) throws -> [(String, String)] {
        try files.map { file in
            if file.pathExtension == "xlsx" {
                let unzip = Process()
                unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
                unzip.arguments = ["-p", file.path]
                let pipe = Pipe()
                unzip.standardOutput = pipe
                try unzip.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                unzip.waitUntilExit()
                return (file.lastPathComponent, String(decoding: data, as: UTF8.self))
            }
            return (file.lastPathComponent, String(decoding: try Data(contentsOf: file), as: UTF8.self))
        }
    }

    func testTeamsPayTheirPeopleSplitAtTheMoveAndEachPackShowsOnlyItsOwn() async throws {
        let (outcome, output) = try await run(pseudonymize: false)
        defer { try? FileManager.default.removeItem(at: output) }
        let report = outcome.report
        // ann 0.864 + bob's 30 hours 1.08 + the unlisted 0.0864; bob's 18 hours 0.648 + carol 0.432.
        XCTAssertEqual(report.allocation.cost(of: "Search"), Decimal(string: "2.03"))
        XCTAssertEqual(report.allocation.cost(of: "Research"), Decimal(string: "1.08"))
        let identities = try XCTUnwrap(report.identities)
        XCTAssertEqual(identities.unlisted.map(\.identity), [evil])
        XCTAssertEqual(
            identities.figures.map { "\($0.team) \($0.identity) \($0.tokens) \($0.cost)" },
            [
                "Search \(people[1]) 360000 1.08", "Search \(people[0]) 288000 0.86", "Search \(evil) 28800 0.09",
                "Research \(people[1]) 216000 0.65", "Research \(people[2]) 144000 0.43",
            ])
        let files = try texts(outcome.files)
        let csv = try XCTUnwrap(files.first { $0.0.hasSuffix("-identities.csv") }?.1)
        XCTAssertTrue(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")|evil\""), csv)
        XCTAssertTrue(
            csv.hasPrefix("team,label,identity,tokens,billable_tokens,cost_usd,team_share_pct,in_directory\n"))
        let markdown = try XCTUnwrap(files.first { $0.0 == "chargeback-2026-10-01_2026-10-03.md" }?.1)
        XCTAssertTrue(markdown.contains("## Who spent it"), markdown)
        XCTAssertTrue(markdown.contains("\\|evil"), "the pipe is escaped in the table cell")
        // Unit economics: each team's row ties out to its cents; bob counts once in the total.
        let economics = try XCTUnwrap(files.first { $0.0.hasSuffix("-unit-economics.csv") }?.1)
        XCTAssertEqual(
            economics,
            """
            team,model,cost_usd,billable_tokens,active_identities,cost_per_1k_tokens_usd,cost_per_identity_usd,\
            requests,cost_per_request_usd
            Search,dear-model,2.03,676800,3,0.002999,0.676667,,
            Search,,2.03,676800,3,0.002999,0.676667,,
            Research,dear-model,1.08,360000,2,0.003000,0.540000,,
            Research,,1.08,360000,2,0.003000,0.540000,,
            ,,3.11,1036800,4,0.003000,0.777500,,

            """)
        XCTAssertTrue(markdown.contains("| Total |  | $3.11 | 1,036,800 | 4 | 0.0030 | $0.78 |"), markdown)
        // No series of the requests counter here: said, not zero.
        XCTAssertTrue(markdown.contains("Cost per request: requests not measured"), markdown)
        let workbook = try XCTUnwrap(files.first { $0.0 == "chargeback-2026-10-01_2026-10-03.xlsx" }?.1)
        XCTAssertTrue(workbook.contains("Unit economics") && workbook.contains("Identities"))
        // FOCUS names each row's identity in its Tags; carol's rows hold her cents.
        XCTAssertEqual(
            try Self.focusCents(files, label: identities.label, identity: people[2]), Decimal(string: "0.43"))
        let research = files.filter { $0.0.contains("-Research.") && !$0.0.hasSuffix(".eml") }
        XCTAssertEqual(research.count, 2)
        for (name, text) in research {
            XCTAssertTrue(text.contains(people[2]), name)
            XCTAssertFalse(text.contains(people[0]), name)
            XCTAssertFalse(text.contains("HYPERLINK"), name)
        }
    }

    func testPseudonymsLeaveNoIdentityInAnyFile() async throws {
        let (outcome, output) = try await run(pseudonymize: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let identities = try XCTUnwrap(outcome.report.identities)
        XCTAssertTrue(identities.pseudonymized)
        XCTAssertTrue(identities.figures.allSatisfy { $0.identity.hasPrefix("id-") && $0.identity.count == 19 })
        let again = IdentityPseudonyms(key: Data("a key of the platform team".utf8))
        XCTAssertTrue(identities.figures.contains { $0.identity == again.pseudonym(people[0]) }, "stable")
        let files = try texts(outcome.files)
        for (name, text) in files {
            for identity in people + ["HYPERLINK"] { XCTAssertFalse(text.contains(identity), "\(identity) in \(name)") }
        }
        XCTAssertEqual(
            try Self.focusCents(files, label: identities.label, identity: again.pseudonym(people[2])),
            Decimal(string: "0.43"), "FOCUS tags the pseudonym")
    }

    /// The BilledCost of the FOCUS rows whose Tags name `identity` under `label`.
    static func focusCents(_ files: [(String, String)], label: String, identity: String) throws -> Decimal {
        let rows = try CSVParser.rows(try XCTUnwrap(files.first { $0.0.hasSuffix("-focus.csv") }?.1))
        let header = try XCTUnwrap(rows.first)
        let tags = try XCTUnwrap(header.firstIndex(of: "Tags"))
        let billed = try XCTUnwrap(header.firstIndex(of: "BilledCost"))
        return rows.dropFirst().filter { $0[tags].contains("\"\(label)\":\"\(identity)\"") }
            .reduce(Decimal(0)) { $0 + (Decimal(string: $1[billed]) ?? 0) }
    }
}
