import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The Markdown, CSV and FOCUS output of a fixed report, byte for byte.
final class GoldenFileTests: XCTestCase {
    func testMarkdownReport() throws {
        let report = try ReportFixture.make()
        try Golden.assertMatches(MarkdownRenderer().render(report, reproduce: ReportFixture.reproduce), "report.md")
    }

    func testTeamPackMarkdown() throws {
        let report = try TeamViews.view(of: ReportFixture.make(), team: "Research")
        try Golden.assertMatches(
            MarkdownRenderer().render(report, reproduce: ReportFixture.reproduce, team: "Research"),
            "team-Research.md")
    }

    func testCSVFiles() throws {
        let report = try ReportFixture.make()
        try Golden.assertMatches(CSVReports.usage(report, hourly: false), "usage.csv")
        try Golden.assertMatches(CSVReports.chargeback(report), "chargeback.csv")
        try Golden.assertMatches(CSVReports.teams(report), "teams.csv")
    }

    func testFOCUSFile() throws {
        try Golden.assertMatches(FOCUSRenderer.render(try ReportFixture.make()), "focus.csv")
    }

    /// The golden check itself must be able to fail.
    func testAMismatchIsReportedAsADiff() {
        let diff = Golden.diff("a\nb\n", "a\nc\n", "x.txt")
        XCTAssertTrue(diff.contains("-b") && diff.contains("+c"), diff)
    }
}
