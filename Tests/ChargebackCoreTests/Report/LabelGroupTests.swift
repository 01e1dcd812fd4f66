import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// `--group-by`: per value of a label, sums of the ledger's cents that add up to the total.
final class LabelGroupTests: XCTestCase {
    func testGroupLabelsAreLabelNames() throws {
        XCTAssertEqual(try ChargebackConfig.groupLabels("route, user_id,route"), ["route", "user_id"])
        for bad in ["", "route,", "9lives", "a-b", "../x", "__name__", "rou te"] {
            XCTAssertThrowsError(try ChargebackConfig.groupLabels(bad), bad) { error in
                XCTAssertTrue(error.localizedDescription.contains("--group-by"), error.localizedDescription)
            }
        }
    }

    func testAGroupLabelJoinsTheKeysAfterTheRulesLabels() {
        let config = try! ReportFixture.build { $0.groupBy = ["route", "gateway"] }.config
        XCTAssertEqual(config.extraLabelKeys, config.teams.extraLabelKeys + ["route"])
    }

    /// The fixture's report broken down by a label every key has (gateway) equals the Gateways
    /// table, and by a label no series has it is one empty value with the whole total.
    func testBreakdownsAddUpToTheTotal() throws {
        let report = try ReportFixture.build { $0.groupBy = ["gateway", "route"] }.report
        let groupings = report.byLabels
        XCTAssertEqual(groupings.map(\.label), ["gateway", "route"])
        XCTAssertEqual(groupings[0].groups, report.byGateway)
        XCTAssertEqual(groupings[1].groups.map(\.name), [""])
        for grouping in groupings {
            XCTAssertEqual(grouping.groups.reduce(Decimal(0)) { $0 + $1.cost }, report.roundedTotal, grouping.label)
        }
        let csv = CSVReports.byLabel(groupings[0])
        XCTAssertEqual(csv.split(separator: "\n").first, "label,value,tokens,billable_tokens,cost_usd")
        XCTAssertEqual(csv.split(separator: "\n").count, 1 + report.byGateway.count)
        let markdown = try MarkdownRenderer().render(report, reproduce: "")
        XCTAssertTrue(markdown.contains("## Cost per route"))
        XCTAssertTrue(markdown.contains("| (none) |"), "usage without the label")
    }
}
