import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Issue 28, item 3: "To reproduce" names the absolute period and nothing of one run (its server,
/// its output folder), and the Markdown and workbook name the config's Prometheus, so runs of the
/// same data through different `--prometheus-url`s write the same bytes.
final class ReproduceLineTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let now = DateText.parseInstant("2026-12-03T09:30:00Z")!

    func line(_ arguments: [String], period: String = "last-month", partial: Bool = false) throws -> String {
        let resolved = try Period.parse(period, in: utc, now: now)
        return ReproduceLine.make(
            ["chargeback", "report"] + arguments, period: resolved, partialUpTo: partial ? now : nil)
    }

    func testTheDemoLineNamesTheMonthAndNoServerOrFolder() throws {
        XCTAssertEqual(
            try line([
                "--config", "Samples/chargeback.yaml", "--period", "last-month", "--prometheus-url",
                "http://127.0.0.1:60925", "--output", "demo-reports",
            ]), "chargeback report --config Samples/chargeback.yaml --period 2026-11")
        XCTAssertEqual(
            try line(
                [
                    "-c", "c.yaml", "--period=yesterday", "--prometheus-url=http://h:1", "-o", "out", "--output=o2",
                    "-q", "--mail", "--wait-lock", "--log-format", "json", "--split-by", "team", "--format",
                    "markdown,focus", "--fail-on-breach", "--template", "my report.mustache",
                ], period: "yesterday"),
            "chargeback report -c c.yaml --period 2026-12-02 --split-by team --format markdown,focus "
                + "--fail-on-breach --template 'my report.mustache'")
        XCTAssertEqual(
            try line(["--config", "c.yaml", "--from", "2026-10-01", "--to", "2026-10-15", "--timezone", "UTC"]),
            "chargeback report --config c.yaml --from 2026-10-01 --to 2026-10-15 --timezone UTC")
    }

    /// The label printed for every way of naming a period names the same period again.
    func testEveryPeriodsLabelParsesBackToIt() throws {
        for name in [
            "last-month", "this-month", "last-week", "yesterday", "2026-Q3", "2026-W43", "2026-10-14", "2026-10",
        ] {
            let period = try Period.parse(name, in: TimeZone(identifier: "Europe/Berlin")!, now: now)
            let again = try Period.parse(period.label, in: period.timeZone, now: now.addingTimeInterval(86_400 * 40))
            XCTAssertEqual(again, period, name)
        }
    }

    /// A running month is reproduced up to the run time: `--as-of` is added unless given.
    func testAPartialPeriodGetsTheRunTime() throws {
        let text = try line(["--config", "c.yaml", "--period", "this-month"], period: "this-month", partial: true)
        XCTAssertEqual(text, "chargeback report --config c.yaml --period 2026-12 --as-of 2026-12-03T09:30:00Z")
        let period = try PeriodRequest.named("2026-12").resolve(
            in: utc, now: DateText.parseInstant("2026-12-03T09:30:00Z")!, anyPartial: true)
        XCTAssertEqual(period, try Period.parse("this-month", in: utc, now: now))
        XCTAssertEqual(
            try line(["--period", "this-month", "--as-of", "2026-12-01"], period: "this-month", partial: true),
            "chargeback report --period 2026-12 --as-of 2026-12-01")
    }

    /// The fixture as read through `--prometheus-url url` instead of its config's URL.
    func overridden(_ url: String) throws -> Report {
        let (base, baseConfig) = try ReportFixture.build()
        var config = baseConfig
        config.prometheus.configuredURL = config.prometheus.url
        config.prometheus.url = URL(string: url)!
        return Report(
            toolVersion: base.toolVersion, generatedAt: base.generatedAt, period: base.period, buckets: base.buckets,
            partial: false, prometheusURL: url, config: config, lines: base.lines, allocation: base.allocation,
            assessment: base.assessment, coverage: base.coverage, queries: [], diagnostics: base.diagnostics,
            cacheRules: base.cacheRules)
    }

    func testTheMarkdownAndWorkbookNameTheConfigsServerNotTheRuns() throws {
        let first = try overridden("http://127.0.0.1:60925")
        let second = try overridden("http://localhost:41017")
        let markdown = try [first, second].map { try MarkdownRenderer().render($0, reproduce: ReportFixture.reproduce) }
        XCTAssertEqual(markdown[0], markdown[1])
        XCTAssertFalse(markdown[0].contains("60925"))
        XCTAssertTrue(markdown[0].contains("read from the Prometheus given by --prometheus-url"), markdown[0])
        XCTAssertTrue(
            markdown[0].contains(
                "\(ReportFixture.reproduce)`, adding `--prometheus-url` for a Prometheus that holds the same data"))
        XCTAssertTrue(markdown[0].contains("not the config's http://prometheus.example:9090"))
        // Without an override the line stands alone.
        let plain = try MarkdownRenderer().render(ReportFixture.make(), reproduce: ReportFixture.reproduce)
        XCTAssertTrue(plain.contains("To reproduce: `\(ReportFixture.reproduce)`\n"))

        let folder = TemporaryFolder("cb-reproduce-xlsx").url
        defer { try? FileManager.default.removeItem(at: folder) }
        var workbooks: [Data] = []
        for (index, report) in [first, second].enumerated() {
            let url = folder.appendingPathComponent("\(index).xlsx")
            try WorkbookRenderer.write(
                report, to: url.path, options: WorkbookOptions(reproduce: ReportFixture.reproduce))
            workbooks.append(try Data(contentsOf: url))
        }
        XCTAssertEqual(workbooks[0], workbooks[1], "the same workbook whichever server was read")
        let parts = try XLSXParts(folder.appendingPathComponent("0.xlsx"))
        let text = try ["xl/sharedStrings.xml", "docProps/core.xml"].map(parts.part).joined() + parts.sheetXML("About")
        XCTAssertFalse(text.contains("60925"))
        XCTAssertTrue(
            text.contains("not the config&apos;s: add --prometheus-url")
                || text.contains("not the config's: add --prometheus-url"), text)
    }
}
