import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class DiagnosticTests: XCTestCase {
    func testALocatedDiagnosticReadsLikeACompilerMessage() {
        let cases: [(Diagnostic, String)] = [
            (.warning("no price", at: .file("pricing.yaml", line: 4, column: 7)), "pricing.yaml:4:7: no price"),
            (.error("bad key", at: .file("teams.yaml", line: 12)), "teams.yaml:12: bad key"),
            (.note("read", at: .file("chargeback.yaml")), "chargeback.yaml: read"),
            (.warning("gap", at: .series("{pod=\"a\"}")), "series {pod=\"a\"}: gap"),
            (.note("off grid", at: .query("sum(x)")), "query sum(x): off grid"),
            (.warning("plain"), "plain"),
        ]
        for (diagnostic, text) in cases { XCTAssertEqual(diagnostic.description, text) }
    }

    func testSeveritiesAreOrdered() {
        XCTAssertLessThan(Diagnostic.Severity.note, .warning)
        XCTAssertLessThan(Diagnostic.Severity.warning, .error)
        XCTAssertFalse(Diagnostic.Severity.error < .note)
    }

    func testTheCollectorKeepsOrderAndTurnsErrorsIntoInputErrors() throws {
        let collector = DiagnosticCollector()
        XCTAssertNil(collector.inputErrors())
        collector.emit(.warning("first"))
        collector.emit(contentsOf: [.error("second", at: .file("teams.yaml", line: 3, column: 1)), .note("third")])
        XCTAssertEqual(collector.all.map(\.message), ["first", "second", "third"])
        XCTAssertTrue(collector.hasErrors)
        let errors = try XCTUnwrap(collector.inputErrors())
        XCTAssertEqual(errors.errors, [InputError(file: "teams.yaml", line: 3, column: 1, "second")])
        XCTAssertEqual(errors.exitCode, 64)
    }

    func testTheCollectorTakesDiagnosticsFromManyTasks() async {
        let collector = DiagnosticCollector()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 { group.addTask { collector.emit(.note("\(index)")) } }
        }
        XCTAssertEqual(Set(collector.all.map(\.message)).count, 200)
    }

    func testEachErrorCarriesItsExitCode() {
        let cases: [(any ExitCodeError, Int32)] = [
            (InputError(file: "a.yaml", "x"), 64),
            (InputErrors([InputError(file: nil, "x")]), 64),
            (FetchError.secret("cannot read /nonexistent"), 64),
            (FetchError.unreachable(url: "http://127.0.0.1:1", reason: "refused", attempts: 1), 1),
            (OutputError(message: "disk full"), 1),
        ]
        for (error, code) in cases { XCTAssertEqual(error.exitCode, code, "\(error)") }
        XCTAssertEqual(
            InputError(file: "a.yaml", line: 2, column: 5, "x").diagnostics.map(\.description), ["a.yaml:2:5: x"])
    }
}
