import ArgumentParser
import XCTest

@testable import chargeback

/// Help read off a terminal (80 columns): no line is longer, and no example wraps mid-command.
final class HelpWidthTests: XCTestCase {
    static let commands: [ParsableCommand.Type] = [
        Chargeback.self, ReportCommand.self, ValidateCommand.self, PricesCommand.self, ImportLiteLLMCommand.self,
        InitCommand.self, RulesCommand.self, DashboardCommand.self,
    ]

    func testHelpFitsEightyColumnsAndExamplesDoNotWrap() {
        for command in Self.commands {
            let help = Chargeback.helpMessage(for: command, columns: 80)
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines { XCTAssertLessThanOrEqual(line.count, 80, "\(command): \(line)") }
            guard let start = lines.firstIndex(where: { $0 == "Examples:" }) else { continue }
            var previousContinues = false
            for line in lines[(start + 1)...] {
                guard !line.isEmpty else { break }
                // An example starts a command, or continues one whose previous line ends in a backslash.
                let starts = line.hasPrefix("  chargeback ") || line.hasPrefix("  for ")
                XCTAssertTrue(
                    starts || (previousContinues && line.hasPrefix("      ")),
                    "\(command): an example wrapped mid-command: '\(line)'")
                previousContinues = line.hasSuffix("\\")
            }
        }
    }

    func testSplitByTakesTheWordTeamNotATeamName() {
        let help = Chargeback.helpMessage(for: ReportCommand.self, columns: 80)
        XCTAssertTrue(help.contains("--split-by <kind>"), help)
        XCTAssertTrue(help.contains("(values: team)"), help)
        XCTAssertFalse(help.contains("--split-by <team>"), help)
    }
}
