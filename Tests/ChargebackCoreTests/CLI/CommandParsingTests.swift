import ArgumentParser
import ChargebackCore
import TestSupport
import XCTest

@testable import chargeback

final class CommandParsingTests: XCTestCase {
    func testReportParsesItsOptions() throws {
        let command = try Chargeback.parseAsRoot([
            "report", "--config", "c.yaml", "--period", "2026-10", "--timezone", "Europe/Berlin",
            "--format", "csv,markdown", "--granularity", "hour", "--output", "out", "--fail-on-breach", "--quiet",
        ])
        let report = try XCTUnwrap(command as? ReportCommand)
        XCTAssertEqual(report.configOption.config, "c.yaml")
        XCTAssertEqual(report.periodOptions.request, .named("2026-10"))
        XCTAssertEqual(report.periodOptions.timezone?.zone.identifier, "Europe/Berlin")
        XCTAssertEqual(report.outputOptions.format.formats, [.csv, .markdown])
        XCTAssertEqual(report.outputOptions.granularity, .hour)
        XCTAssertEqual(report.outputOptions.output, "out")
        XCTAssertTrue(report.failOnBreach)
        XCTAssertTrue(report.logging.quiet)
    }

    func testCompareTrendAndGroupByOptions() throws {
        let plain = try XCTUnwrap(try Chargeback.parseAsRoot(["report", "--period", "2026-10"]) as? ReportCommand)
        var request = ReportRequest(
            period: try Period.parse("2026-10", in: TimeZone(identifier: "UTC")!), formats: [],
            hourly: false, outputDirectory: URL(fileURLWithPath: "."), commandLine: [])
        plain.changeOptions.apply(to: &request)
        XCTAssertTrue(request.compare && request.forecast)
        XCTAssertEqual(request.trend, 0)
        let command = try XCTUnwrap(
            try Chargeback.parseAsRoot([
                "report", "--period", "2026-10", "--no-compare",
                "--trend", "6", "--group-by", "route,user_id",
            ])
                as? ReportCommand)
        command.changeOptions.apply(to: &request)
        XCTAssertFalse(request.compare)
        XCTAssertEqual(request.trend, 6)
        let config = try command.changeOptions.apply(to: ReportFixture.build().config)
        XCTAssertEqual(config.groupBy, ["route", "user_id"])
    }

    func testFocusAndTeamPacksAreAvailable() throws {
        let command = try Chargeback.parseAsRoot([
            "report", "--config", "c.yaml", "--period", "2026-10",
            "--format", "markdown,focus", "--split-by", "team",
        ])
        let report = try XCTUnwrap(command as? ReportCommand)
        XCTAssertEqual(report.outputOptions.format.formats, [.markdown, .focus])
        XCTAssertEqual(report.outputOptions.splitBy, .team)
        let defaults = try XCTUnwrap(
            try Chargeback.parseAsRoot(["report", "--from", "2026-10-01", "--to", "2026-10-03"])
                as? ReportCommand)
        XCTAssertEqual(defaults.outputOptions.format.formats, [.markdown, .csv, .xlsx])
        XCTAssertEqual(defaults.periodOptions.request, .range(from: "2026-10-01", to: "2026-10-03"))
    }

    func testConflictingOrMissingFlagsAreUsageErrorsWithCode64() {
        let bad: [[String]] = [
            ["report", "--config", "c.yaml"],
            ["report", "--period", "2026-10", "--from", "2026-10-01", "--to", "2026-10-02"],
            ["report", "--from", "2026-10-01"],
            ["report", "--period", "2026-10", "--format", "pdf"],
            ["report", "--period", "2026-10", "--granularity", "week"],
            ["report", "--period", "2026-10", "--quiet", "--verbose"],
            ["report", "--period", "2026-10", "--log-format", "xml"],
            ["report", "--config", "c.yaml", "--period", "2026-10", "--split-by", "gateway"],
            ["report", "--period", "2026-13"],
            ["report", "--period", "2026-10", "--timezone", "Mars/Olympus_Mons"],
            ["report", "--period", "2026-10", "--format", ""],
            ["report", "--period", "2026-10", "--trend", "25"],
            ["report", "--period", "2026-10", "--trend", "-1"],
            ["report", "--period", "2026-10", "--group-by", "../etc"],
        ]
        for arguments in bad {
            XCTAssertThrowsError(try Chargeback.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertEqual(Chargeback.exitCode(for: error).rawValue, 64, "\(arguments)")
            }
        }
    }

    func testBadValuesAreRefusedWithTheLibrarysMessage() {
        let cases: [([String], String)] = [
            (["report", "--period", "2026-13"], "--period '2026-13'"),
            (
                ["report", "--period", "2026-10", "--timezone", "Mars/X"],
                "--timezone 'Mars/X' is not an IANA time zone"
            ),
            (["report", "--period", "2026-10", "--format", "csv,pdf"], "unknown format 'pdf'"),
            (["report", "--period", "2026-10", "--trend", "30"], "--trend 30 is not between 0 and 24"),
            (["report", "--period", "2026-10", "--group-by", "route,a-b"], "--group-by 'a-b' is not a label name"),
        ]
        for (arguments, message) in cases {
            XCTAssertThrowsError(try Chargeback.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertTrue(Chargeback.message(for: error).contains(message), Chargeback.message(for: error))
            }
        }
    }

    func testHelpExplainsEveryOptionWithAnExample() {
        let help = Chargeback.helpMessage(for: ReportCommand.self)
        for option in [
            "--config", "--period", "--from", "--to", "--timezone", "--format", "--granularity", "--output",
            "--template", "--prometheus-url", "--fail-on-breach", "--split-by", "focus", "--quiet", "--verbose",
            "--log-format",
        ] {
            XCTAssertTrue(help.contains(option), "report --help lacks \(option)")
        }
        XCTAssertTrue(help.contains("Examples:"))
        XCTAssertTrue(
            Chargeback.helpMessage(for: ValidateCommand.self).contains("--prometheus-url"),
            "validate shares the backend options")
        XCTAssertTrue(Chargeback.helpMessage().contains("Exit codes"))
    }
}

final class RulesCommandParsingTests: XCTestCase {
    func testRulesAndDashboardParse() throws {
        let rules = try XCTUnwrap(
            try Chargeback.parseAsRoot(["rules", "--config", "c.yaml", "--plain", "--at", "2026-01-01"])
                as? RulesCommand)
        XCTAssertTrue(rules.plain)
        XCTAssertEqual(rules.at, "2026-01-01")
        XCTAssertEqual(rules.configOption.config, "c.yaml")
        let kube = try XCTUnwrap(
            try Chargeback.parseAsRoot(["rules", "--namespace", "observability"]) as? RulesCommand)
        XCTAssertEqual(kube.namespace, "observability")
        XCTAssertFalse(kube.plain)
        let dashboard = try XCTUnwrap(try Chargeback.parseAsRoot(["dashboard", "-c", "d.yaml"]) as? DashboardCommand)
        XCTAssertEqual(dashboard.configOption.config, "d.yaml")
    }

    func testBadRulesFlagsAreUsageErrors() {
        for arguments in [
            ["rules", "--plain", "--namespace", "x"], ["rules", "--namespace", "Not_A_Namespace"],
            ["dashboard", "--plain"],
        ] {
            XCTAssertThrowsError(try Chargeback.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertEqual(Chargeback.exitCode(for: error).rawValue, 64, "\(arguments)")
            }
        }
        XCTAssertThrowsError(try InstantOption.parse("next tuesday", flag: "--at")) { error in
            XCTAssertTrue(error is InputError)
        }
        XCTAssertEqual(
            try InstantOption.parse("2026-01-01", flag: "--at"), DateText.parseInstant("2026-01-01T00:00:00Z"))
    }

    func testHelpShowsExamples() {
        XCTAssertTrue(
            Chargeback.helpMessage(for: RulesCommand.self).contains("chargeback rules --config chargeback.yaml --plain")
        )
        XCTAssertTrue(Chargeback.helpMessage(for: DashboardCommand.self).contains("chargeback dashboard --config"))
    }
}
