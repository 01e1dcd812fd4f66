import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Label values that try to be formulas, break tables or climb out of the output folder reach
/// every format as plain data.
final class HostileDataTests: XCTestCase {
    static let base = "chargeback-2026-10-24_2026-10-27"
    var folder: OutputFolder!
    var report: Report!

    override func setUpWithError() throws {
        folder = OutputFolder()
        report = try ReportFixture.make(.hostile)
        try folder.write(report)
    }

    override func tearDown() {
        folder.remove()
    }

    func testNoFileLeavesTheOutputFolder() {
        let files = folder.files
        XCTAssertFalse(files.contains { $0.hasPrefix("OUTSIDE:") || $0.contains("..") }, "\(files)")
        XCTAssertTrue(files.contains("teams/etc_passwd/\(Self.base)-etc_passwd.xlsx"), "\(files)")
        XCTAssertTrue(files.contains("teams/HYPERLINK_http_x_y/\(Self.base)-HYPERLINK_http_x_y.md"), "\(files)")
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: folder.url.deletingLastPathComponent()
                    .appendingPathComponent("etc/passwd").path))
    }

    func testCSVCellsNeverStartAFormulaAndRowsKeepTheirWidth() throws {
        for name in ["usage", "chargeback", "teams", "focus"] {
            let rows = try CSVParser.rows(folder.text("\(Self.base)-\(name).csv"))
            let width = rows.first?.count ?? 0
            XCTAssertGreaterThan(rows.count, 1, name)
            for row in rows {
                XCTAssertEqual(row.count, width, "\(name): \(row)")
                for cell in row {
                    XCTAssertFalse(
                        cell.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false,
                        "\(name): the cell \(cell.debugDescription) could run as a formula")
                }
            }
            let cells = Set(rows.joined())
            for hostile in ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'@SUM(A1)", "a|b\nc"] where name != "teams" {
                XCTAssertTrue(cells.contains(hostile), "\(name) keeps \(hostile.debugDescription) as text")
            }
        }
    }

    func testMarkdownTablesKeepTheirColumnsAndNoHTMLRuns() throws {
        let names = ["\(Self.base).md", "teams/etc_passwd/\(Self.base)-etc_passwd.md"]
        for name in names {
            let markdown = try folder.text(name)
            XCTAssertFalse(markdown.contains("<script>"), name)
            var expected: Int?
            for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("|") else {
                    expected = nil
                    continue
                }
                let pipes = Self.unescapedPipes(line)
                if let expected {
                    XCTAssertEqual(pipes, expected, "\(name): a row with a different number of cells: \(line)")
                } else {
                    expected = pipes
                }
            }
        }
        XCTAssertTrue(try folder.text(names[0]).contains("a\\|b c"), "the label is escaped, not split")
        XCTAssertTrue(try folder.text(names[1]).contains("| Team | ../../etc/passwd: only this team's share"))
    }

    func testTheMailHeadersCannotBeInjected() throws {
        let message = try folder.text("teams/etc_passwd/\(Self.base)-etc_passwd.eml")
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") {
            let known = [
                "Date:", "To:", "Subject:", "Message-ID:", "MIME-Version:", "Auto-Submitted:", "X-Mailer:",
                "Content-Type:", " ",
            ]
            XCTAssertTrue(known.contains { line.hasPrefix($0) }, "unexpected header line \(line.debugDescription)")
        }
    }

    /// `|` not preceded by a backslash.
    static func unescapedPipes(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                count += 1
            }
        }
        return count
    }
}
