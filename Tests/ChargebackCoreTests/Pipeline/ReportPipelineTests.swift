import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The stages after the report: team views, rendering into a staging folder, the commit.
final class ReportPipelineTests: XCTestCase {
    private var folder: OutputFolder!

    override func setUp() { folder = OutputFolder() }
    override func tearDown() { folder.remove() }

    func testRenderingDiagnosticsReachTheOutcome() throws {
        let report = try ReportFixture.make()
        let diagnostics = DiagnosticCollector()
        diagnostics.emit(contentsOf: report.diagnostics)
        let outcome = try folder.write(report, diagnostics: diagnostics)
        XCTAssertEqual(Array(outcome.diagnostics.prefix(report.diagnostics.count)), report.diagnostics)
        let added = outcome.diagnostics.dropFirst(report.diagnostics.count)
        XCTAssertEqual(
            added.map(\.message), ["no mail for the team pack of Unallocated: the team has no owner address"])
        XCTAssertEqual(added.first?.location, .file("teams.yaml"))
        XCTAssertEqual(
            Set(outcome.files.map { $0.lastPathComponent }),
            Set(folder.files.map { ($0 as NSString).lastPathComponent }))
    }

    func testTheThresholdsFileIsTheAssessment() throws {
        let report = try ReportFixture.make()
        try folder.write(report, formats: [.csv], splitByTeam: false)
        let rows = try CSVParser.rows(folder.text("chargeback-2026-10-24_2026-10-27-thresholds.csv")).dropFirst()
        XCTAssertEqual(rows.map { $0[0] }, report.thresholdChecks.map(\.scope.label))
        XCTAssertEqual(rows.map { $0[5] }, report.thresholdChecks.map(\.status.rawValue))
    }

    func testABadTemplateWritesNothing() throws {
        let report = try ReportFixture.make()
        XCTAssertThrowsError(try folder.write(report, template: ("bad.mustache", "{{#open}}"))) { error in
            XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64, "\(error)")
        }
        XCTAssertEqual(folder.files.filter { !$0.hasPrefix(".") }, [])
    }
}
