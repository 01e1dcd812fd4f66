import ArgumentParser
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
        XCTAssertEqual(report.period, "2026-10")
        XCTAssertEqual(report.timezone, "Europe/Berlin")
        XCTAssertEqual(try report.formats(), [.csv, .markdown])
        XCTAssertEqual(report.granularity, .hour)
        XCTAssertEqual(report.output, "out")
        XCTAssertTrue(report.failOnBreach)
        XCTAssertTrue(report.logging.quiet)
    }

    func testFocusAndTeamPacksAreAvailable() throws {
        let command = try Chargeback.parseAsRoot(["report", "--config", "c.yaml", "--period", "2026-10",
                                                  "--format", "markdown,focus", "--split-by", "team"])
        let report = try XCTUnwrap(command as? ReportCommand)
        XCTAssertEqual(try report.formats(), [.markdown, .focus])
        XCTAssertEqual(report.splitBy, .team)
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
        ]
        for arguments in bad {
            XCTAssertThrowsError(try Chargeback.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertEqual(Chargeback.exitCode(for: error).rawValue, 64, "\(arguments)")
            }
        }
    }

    func testHelpExplainsEveryOptionWithAnExample() {
        let help = Chargeback.helpMessage(for: ReportCommand.self)
        for option in ["--config", "--period", "--from", "--to", "--timezone", "--format", "--granularity", "--output",
                       "--template", "--prometheus-url", "--fail-on-breach", "--split-by", "focus", "--quiet", "--verbose", "--log-format"] {
            XCTAssertTrue(help.contains(option), "report --help lacks \(option)")
        }
        XCTAssertTrue(help.contains("Examples:"))
        XCTAssertTrue(Chargeback.helpMessage().contains("Exit codes"))
    }
}
