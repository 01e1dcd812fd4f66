import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class ConfigLoaderTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-config")
    private var folder: URL { temporary.url }

    override func tearDown() { temporary.remove() }

    static let config = """
        prometheus:
          url: http://127.0.0.1:9090/prometheus/
          headers: { X-Scope-OrgID: tenant-a }
          timeout: 30s
        metrics:
          selector: '{namespace="kgateway-system"}'
          input_includes_cache: { anthropic: false, default: true }
        pricing: pricing.yaml
        teams: teams.yaml
        timezone: Europe/Berlin
        thresholds: { daily_usd: 50 }
        """

    static let pricing = """
        models:
          - match: "claude-3-5-haiku*"
            prices:
              - { from: 2024-11-04, input: 0.80, output: 4.00, cache_read: 0.08, cache_write: 1.00 }
              - { from: 2026-10-15, input: 1.00, output: 5.00 }
        """

    static let teams = """
        teams:
          - { name: Search, cost_center: CC-1, monthly_budget_usd: 200 }
          - { name: Research }
        rules:
          - match: { gateway: "gw1" }
            team: Search
          - match: { gateway: "gw3" }
            split: { Search: 60, Research: 40 }
          - match: { gateway: "*" }
            shared: { weights: { Search: 2, Research: 1 } }
        """

    func write(_ files: [String: String]) throws -> String {
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder.appendingPathComponent("chargeback.yaml").path
    }

    func load(config: String = config, pricing: String = pricing, teams: String = teams) throws -> ChargebackConfig {
        try ConfigLoader.load(path: write(["chargeback.yaml": config, "pricing.yaml": pricing, "teams.yaml": teams]))
    }

    func testGoodFilesLoad() throws {
        let config = try load()
        XCTAssertEqual(config.prometheus.url.absoluteString, "http://127.0.0.1:9090/prometheus")
        XCTAssertEqual(config.prometheus.headers, ["X-Scope-OrgID": "tenant-a"])
        XCTAssertEqual(config.prometheus.timeout, 30)
        XCTAssertEqual(config.timeZone.identifier, "Europe/Berlin")
        XCTAssertEqual(config.thresholds.daily, 50)
        let cache = config.metrics.inputIncludesCache
        XCTAssertFalse(cache.rule(for: { $0 == "system" ? "anthropic" : "" }, at: .distantFuture).includes)
        XCTAssertTrue(cache.rule(for: { $0 == "system" ? "openai" : "" }, at: .distantFuture).includes)
        XCTAssertEqual(config.metrics.selector(for: "m"), "m{namespace=\"kgateway-system\"}")
        XCTAssertEqual(config.pricing.models[0].prices.count, 2)
        XCTAssertEqual(config.pricing.models[0].prices[0].input, Decimal(string: "0.80"))
        XCTAssertEqual(config.teams.rules.count, 3)
        XCTAssertEqual(config.teams.rules[1].action, .split([("Search", 60), ("Research", 40)]))
        XCTAssertEqual(config.teams.rules[0].origin, "teams.yaml:5")
        XCTAssertEqual(config.files.map(\.role), ["config", "pricing", "teams"])
        XCTAssertEqual(config.prometheus.plan, .summaries, "the default plan")
        let raw = try load(
            config: Self.config.replacingOccurrences(of: "timeout: 30s", with: "timeout: 30s\n  plan: raw"))
        XCTAssertEqual(raw.prometheus.plan, .raw)
    }

    /// Each broken file gives an InputError naming the file and the line (and column) of the problem.
    func testBrokenFilesNameFileLineAndColumn() throws {
        let cases: [(config: String, pricing: String, teams: String, file: String, line: Int, contains: String)] = [
            (
                Self.config.replacingOccurrences(of: "timeout: 30s", with: "timeout: soon"), Self.pricing, Self.teams,
                "chargeback.yaml", 4, "duration"
            ),
            (
                Self.config.replacingOccurrences(of: "timezone: Europe/Berlin", with: "timezone: Mars/Olympus"),
                Self.pricing,
                Self.teams, "chargeback.yaml", 10, "time zone"
            ),
            (Self.config + "\nextra: [", Self.pricing, Self.teams, "chargeback.yaml", 13, "YAML"),
            (
                Self.config.replacingOccurrences(of: "timeout: 30s", with: "plan: everything"), Self.pricing,
                Self.teams,
                "chargeback.yaml", 4, "'summaries' or 'raw'"
            ),
            (
                Self.config.replacingOccurrences(of: "timezone:", with: "time_zone:"), Self.pricing, Self.teams,
                "chargeback.yaml", 10, "unknown key"
            ),
            (
                Self.config, Self.pricing.replacingOccurrences(of: "2026-10-15", with: "2024-01-01"), Self.teams,
                "pricing.yaml", 5, "dates must increase"
            ),
            (
                Self.config, Self.pricing.replacingOccurrences(of: "input: 1.00", with: "input: cheap"), Self.teams,
                "pricing.yaml", 5, "number"
            ),
            (
                Self.config, Self.pricing, Self.teams.replacingOccurrences(of: "team: Search", with: "team: Serch"),
                "teams.yaml", 6, "unknown team 'Serch'"
            ),
            (
                Self.config, Self.pricing, Self.teams.replacingOccurrences(of: "Research: 40", with: "Research: 30"),
                "teams.yaml", 8, "sum to 90"
            ),
            (
                Self.config, Self.pricing, Self.teams.replacingOccurrences(of: "Research: 1", with: "Research: -1"),
                "teams.yaml", 10, "positive"
            ),
        ]
        for (index, item) in cases.enumerated() {
            XCTAssertThrowsError(
                try load(config: item.config, pricing: item.pricing, teams: item.teams), "case \(index)"
            ) { error in
                guard let error = error as? InputError else { return XCTFail("case \(index): \(error)") }
                XCTAssertTrue(error.file?.hasSuffix(item.file) == true, "case \(index): \(error.errorDescription!)")
                XCTAssertEqual(error.line, item.line, "case \(index): \(error.errorDescription!)")
                XCTAssertNotNil(error.column, "case \(index)")
                XCTAssertTrue(error.message.contains(item.contains), "case \(index): \(error.message)")
            }
        }
    }

    /// An unknown key is reported at the key's own column (not its value's) with the nearest known key.
    func testUnknownKeyPointsAtTheKeyAndSuggestsTheNearest() throws {
        let text = "prometheus: { url: http://p:9090, timout: 5s }\npricing: p.yaml\nteams: t.yaml\n"
        let root = try YAMLValue.parse(text, file: "chargeback.yaml")
        let prometheus = try root.required("prometheus")
        XCTAssertThrowsError(try prometheus.allowKeys(["url", "timeout", "retries", "chunk"])) { error in
            guard let error = error as? InputError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.line, 1)
            XCTAssertEqual(error.column, 35, "the column of 'timout', not of '5s' (43)")
            XCTAssertTrue(
                error.message.hasPrefix("prometheus.timout: unknown key 'timout' (did you mean 'timeout'?)"),
                error.message)
        }
        XCTAssertThrowsError(try prometheus.allowKeys(["url", "headers"])) { error in
            XCTAssertFalse((error as? InputError)?.message.contains("did you mean") ?? true, "nothing is near 'timout'")
        }
        XCTAssertEqual(KeySuggestion.nearest(to: "time_zone", in: ["timezone", "teams", "pricing"]), "timezone")
    }

    func testMissingConfigFileIsAnInputError() {
        XCTAssertThrowsError(try ConfigLoader.load(path: folder.appendingPathComponent("nope.yaml").path)) { error in
            let error = error as? InputError
            XCTAssertTrue(error?.errorDescription?.contains("nope.yaml") == true)
            XCTAssertTrue(error?.message.contains("does not exist") == true)
        }
    }

    func testCredentialsInTheURLAreRefusedWithoutEchoingThem() {
        let config = Self.config.replacingOccurrences(of: "http://127.0.0.1", with: "http://admin:hunter2@127.0.0.1")
        XCTAssertThrowsError(try load(config: config)) { error in
            let text = (error as? InputError)?.errorDescription ?? ""
            XCTAssertTrue(text.contains("credentials"))
            XCTAssertFalse(text.contains("hunter2"))
        }
    }

    func testDurations() {
        XCTAssertEqual(DurationText.seconds("90s"), 90)
        XCTAssertEqual(DurationText.seconds("1h30m"), 5400)
        XCTAssertEqual(DurationText.seconds("250ms"), 0.25)
        XCTAssertEqual(DurationText.seconds("2d"), 172_800)
        XCTAssertNil(DurationText.seconds("5"))
        XCTAssertNil(DurationText.seconds("m5"))
        XCTAssertEqual(DurationText.text(seconds: 7200), "2h")
        XCTAssertEqual(DurationText.text(seconds: 2_678_400), "31d")
    }
}

extension ConfigLoaderTests {
    /// `validate` reports a problem in each of three broken files, each with its position.
    func testProblemsInThreeFilesAreAllReported() throws {
        let path = try write([
            "chargeback.yaml": Self.config.replacingOccurrences(of: "timeout: 30s", with: "timeout: later"),
            "pricing.yaml": Self.pricing.replacingOccurrences(of: "2026-10-15", with: "2020-01-01"),
            "teams.yaml": Self.teams.replacingOccurrences(of: "Research: 40", with: "Research: 45"),
        ])
        let problems = ConfigLoader.problems(path: path)
        XCTAssertEqual(problems.count, 3, problems.map { $0.errorDescription ?? "" }.joined(separator: "\n"))
        XCTAssertEqual(
            problems.map { URL(fileURLWithPath: $0.file ?? "").lastPathComponent },
            ["chargeback.yaml", "pricing.yaml", "teams.yaml"])
        XCTAssertEqual(problems.map(\.line), [4, 5, 8])
        XCTAssertTrue(problems.allSatisfy { $0.column != nil })
        XCTAssertEqual(
            ConfigLoader.problems(
                path: try write([
                    "chargeback.yaml": Self.config, "pricing.yaml": Self.pricing,
                    "teams.yaml": Self.teams,
                ])), [])
    }
}
