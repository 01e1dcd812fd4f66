import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// `validate --online`'s findings become diagnostics whose severity follows the files' policies.
final class OnlineCheckTests: XCTestCase {
    private let result = OnlineCheckResult(
        series: 3, unpricedModels: ["gpt-9"],
        unmappedUsage: ["gw-x gpt-9 input"])

    private func config(unpriced: UnpricedPolicy, unallocated: UnallocatedPolicy) throws -> ChargebackConfig {
        var config = try ReportFixture.build().config
        config.pricing = PriceBook(currency: "USD", models: config.pricing.models, unpriced: unpriced)
        config.teams = TeamBook(teams: config.teams.teams, rules: config.teams.rules, unallocated: unallocated)
        return config
    }

    func testWarnPoliciesGiveWarningsOnTheFileThatShouldCoverTheUsage() throws {
        let diagnostics = result.diagnostics(config: try config(unpriced: .warn, unallocated: .report))
        XCTAssertEqual(diagnostics.map(\.severity), [.warning, .warning])
        XCTAssertEqual(
            diagnostics.map(\.description),
            [
                "pricing.yaml: model 'gpt-9' is used but no price matches it",
                "teams.yaml: usage 'gw-x gpt-9 input' matches no team rule (it will show as Unallocated)",
            ])
    }

    func testErrorPoliciesGiveErrorsThatExit64() throws {
        let diagnostics = result.diagnostics(config: try config(unpriced: .error, unallocated: .error))
        XCTAssertEqual(diagnostics.map(\.severity), [.error, .error])
        let collector = DiagnosticCollector()
        collector.emit(contentsOf: diagnostics)
        let errors = try XCTUnwrap(collector.inputErrors())
        XCTAssertEqual(errors.errors.map(\.file), ["pricing.yaml", "teams.yaml"])
        XCTAssertEqual(errors.exitCode, 64)
        let mixed = result.diagnostics(config: try config(unpriced: .warn, unallocated: .error))
        XCTAssertEqual(mixed.map(\.severity), [.warning, .error])
    }
}
