import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The set of files a run writes, the team packs, and that re-runs give the same bytes.
final class ReportFilesTests: XCTestCase {
    func testEveryFormatAndATeamPackPerTeam() throws {
        let folder = OutputFolder()
        defer { folder.remove() }
        try folder.write(try ReportFixture.make())
        let base = "chargeback-2026-10-24_2026-10-27"
        XCTAssertEqual(
            folder.files,
            [
                "\(base)-chargeback.csv", "\(base)-focus.csv", "\(base)-teams.csv", "\(base)-thresholds.csv",
                "\(base)-usage.csv", "\(base).md",
                "\(base).xlsx", "manifest.json",
                "teams/Research/\(base)-Research.eml", "teams/Research/\(base)-Research.md",
                "teams/Research/\(base)-Research.xlsx",
                "teams/Search/\(base)-Search.eml", "teams/Search/\(base)-Search.md", "teams/Search/\(base)-Search.xlsx",
                "teams/Unallocated/\(base)-Unallocated.md", "teams/Unallocated/\(base)-Unallocated.xlsx",
            ], "Unallocated has no owner, so no mail")
        let manifest = try JSONSerialization.jsonObject(with: try folder.data("manifest.json")) as? [String: Any]
        let hashed = (manifest?["outputs"] as? [[String: Any]])?.compactMap { $0["file"] as? String } ?? []
        XCTAssertEqual(
            Set(hashed), Set(folder.files).subtracting(["manifest.json"]), "the manifest hashes every output")
        for entry in manifest?["outputs"] as? [[String: Any]] ?? [] {
            let name = try XCTUnwrap(entry["file"] as? String)
            XCTAssertEqual(entry["sha256"] as? String, ManifestRenderer.sha256(try folder.data(name)), name)
        }
    }

    /// Issue 28, item 6: each amount of manifest.json is named for what it holds.
    func testTheManifestsAmountsAreNamedForWhatTheyHold() throws {
        let report = try ReportFixture.make()
        let data = try ManifestRenderer.render(report, commandLine: ["chargeback"], outputs: [])
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let totals = try XCTUnwrap(manifest["totals"] as? [String: Any])
        XCTAssertEqual(totals["cost_usd"] as? String, DecimalText.cents(report.roundedTotal))
        XCTAssertEqual(totals["exact_cost_usd"] as? String, DecimalText.plain(report.totalCost, minScale: 6))
        XCTAssertNotEqual(report.totalCost, report.roundedTotal, "the fixture's total is not whole cents")
        XCTAssertNil(totals["cost_usd_cents"], "an amount named cents that held dollars")
        let teams = try XCTUnwrap(totals["teams"] as? [[String: Any]])
        let teamCents = teams.compactMap { ($0["cost_usd"] as? String).flatMap { Decimal(string: $0) } }
        XCTAssertEqual(teamCents.count, report.allocation.teamOrder.count)
        XCTAssertEqual(teamCents.reduce(0, +), report.roundedTotal, "the teams add up to the total")
        XCTAssertEqual(manifest["net_usd"] as? String, DecimalText.cents(report.netCents))
        XCTAssertNil(manifest["net_cents"])
        XCTAssertEqual(ManifestRenderer.amount(Decimal(string: "1234.5")!, Currency("JPY")), "1235", "whole yen")
        XCTAssertEqual(ManifestRenderer.amount(Decimal(string: "1.2345")!, Currency("KWD")), "1.235", "fils")
        XCTAssertEqual(ManifestRenderer.amount(Decimal(string: "7.1")!, .usd), "7.10")
    }

    func testTeamMarkdownHoldsOnlyThatTeamsShare() throws {
        let report = try ReportFixture.make()
        let research = TeamViews.view(of: report, team: "Research")
        XCTAssertEqual(research.allocation.roundedTotal, report.allocation.cost(of: "Research"))
        XCTAssertEqual(research.byTeam.map(\.name), ["Research"])
        XCTAssertFalse(
            research.lines.contains { $0.key.gateway == "kgateway-system/agentgateway1" },
            "gateway 1 belongs to Search alone")
        let tokens = research.lines.reduce(Int64(0)) { $0 + $1.tokens }
        XCTAssertEqual(tokens, report.allocation.rows.filter { $0.team == "Research" }.reduce(0) { $0 + $1.tokens })
        let share = report.allocation.rows.filter { $0.team == "Research" }.reduce(Decimal(0)) { $0 + $1.exactCost }
        XCTAssertEqual(
            Money.round(research.totalCost, scale: 20), Money.round(share, scale: 20),
            "the team's hours add up to its exact share")
        XCTAssertLessThanOrEqual(
            abs(Money.double(research.totalCost - report.allocation.cost(of: "Research"))), 0.01,
            "and its cents are that share rounded in the ledger")
        XCTAssertTrue(
            research.breachSentences.allSatisfy { !$0.contains("daily") }, "organisation thresholds are not the team's")
    }

    func testTheMailIsASendableMIMEMessageToTheOwner() throws {
        let folder = OutputFolder()
        defer { folder.remove() }
        try folder.write(try ReportFixture.make(), formats: [.csv])
        let base = "chargeback-2026-10-24_2026-10-27"
        let message = try folder.text("teams/Search/\(base)-Search.eml")
        let (head, body) = try XCTUnwrap(
            message.range(of: "\r\n\r\n").map { (message[..<$0.lowerBound], message[$0.upperBound...]) })
        XCTAssertTrue(head.contains("To: lead-search@example.com\r\n"))
        XCTAssertTrue(head.contains("Subject: AI gateway chargeback 2026-10-24_2026-10-27 for Search: $"))
        XCTAssertTrue(head.contains("MIME-Version: 1.0"))
        XCTAssertFalse(message.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        XCTAssertTrue(message.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 }, "RFC 5322 line length")
        let boundary = try XCTUnwrap(
            head.range(of: #"boundary="([^"]+)""#, options: .regularExpression)
                .map { String(head[$0].dropFirst(10).dropLast()) })
        let parts = body.components(separatedBy: "--\(boundary)")
        XCTAssertEqual(parts.count, 5, "preamble, text, workbook, Markdown, epilogue")
        XCTAssertTrue(parts[1].contains("Content-Transfer-Encoding: quoted-printable"))
        XCTAssertTrue(parts[1].contains("Cost:   $"))
        XCTAssertTrue(head.contains("Date: Tue, 27 Oct 2026 06:15:00 +0000\r\n"), "the run time")
        XCTAssertTrue(head.contains("Message-ID: <chargeback.2026-10-24_2026-10-27.Search."), String(head))
        XCTAssertFalse(head.contains("From:"), "without a mail: block, sendmail -t adds From")
        // Without a mail: block no From or Reply-To says where a reply would go: the text does not ask for one.
        let text = parts[1].replacingOccurrences(of: "=\r\n", with: "")
        XCTAssertTrue(text.contains("Questions about the figures: ask the platform team."), text)
        XCTAssertFalse(text.contains("reply to this message"), text)
        for (part, file) in [(parts[2], "\(base)-Search.xlsx"), (parts[3], "\(base)-Search.md")] {
            XCTAssertTrue(part.contains("filename=\"\(file)\""), part)
            let encoded = try XCTUnwrap(part.range(of: "\r\n\r\n").map { part[$0.upperBound...] })
            let decoded = try XCTUnwrap(Data(base64Encoded: encoded.replacingOccurrences(of: "\r\n", with: "")))
            XCTAssertEqual(decoded, try folder.data("teams/Search/\(file)"), "the attachment is the team's \(file)")
        }
    }

    func testTheSameFiguresGiveTheSameMessageIDAndOtherFiguresAnother() throws {
        let first = OutputFolder()
        let second = OutputFolder()
        defer {
            first.remove()
            second.remove()
        }
        let base = "chargeback-2026-10-24_2026-10-27"
        try first.write(try ReportFixture.make())
        try second.write(try ReportFixture.make(generatedAt: ReportFixture.runTime.addingTimeInterval(3600)))
        func id(_ folder: OutputFolder, _ team: String) throws -> String? {
            try folder.text("teams/\(team)/\(base)-\(team).eml").components(separatedBy: "\r\n")
                .first { $0.hasPrefix("Message-ID: ") }
        }
        XCTAssertEqual(
            try id(first, "Search"), try id(second, "Search"), "a re-run's copy can be told apart as the same")
        XCTAssertNotEqual(try id(first, "Search"), try id(first, "Research"))
    }

    func testReRunsOnTheSameDataGiveTheSameBytes() throws {
        let first = OutputFolder()
        let second = OutputFolder()
        defer {
            first.remove()
            second.remove()
        }
        try first.write(try ReportFixture.make())
        try second.write(try ReportFixture.make(generatedAt: ReportFixture.runTime.addingTimeInterval(86400 * 40)))
        XCTAssertEqual(first.files, second.files)
        for name in first.files where !name.hasSuffix(".eml") && name != "manifest.json" {
            XCTAssertEqual(try first.data(name), try second.data(name), "\(name) changed with the run time alone")
        }
        XCTAssertNotEqual(
            try first.data("manifest.json"), try second.data("manifest.json"), "the manifest records the run time")
    }

    func testPackNamesStayInsideTheOutputFolder() {
        XCTAssertEqual(
            TeamPackNames.names(for: [
                "../../etc/passwd", "Search", "search", "Équipe Données", "..", "", "-rf",
                "=HYPERLINK(\"http://x\",\"y\")", "a/b\\c",
            ]),
            [
                "etc_passwd", "Search", "search-2", "Equipe_Donnees", "team", "team-2", "rf",
                "HYPERLINK_http_x_y", "a_b_c",
            ])
    }
}
