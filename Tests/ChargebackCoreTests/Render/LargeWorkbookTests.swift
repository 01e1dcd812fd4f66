import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// A million Line Items in constant memory. Opt in: `CHARGEBACK_LARGE_ROWS=1000000 swift test
/// --filter LargeWorkbookTests` (it prints the time and peak memory; `CHARGEBACK_RENDER_DIR` keeps the file).
final class LargeWorkbookTests: XCTestCase {
    func testAMillionHourlyLineItems() throws {
        guard let wanted = ProcessInfo.processInfo.environment["CHARGEBACK_LARGE_ROWS"].flatMap(Int.init), wanted > 0
        else {
            throw XCTSkip("set CHARGEBACK_LARGE_ROWS=1000000 to write a workbook of a million line items")
        }
        let data = try LargeWorkbookData.make(rows: wanted)
        let (period, buckets, lines, allocation) = (data.period, data.buckets, data.lines, data.allocation)
        let count = lines.count
        let (base, baseConfig) = try ReportFixture.build()
        let report = Report(
            toolVersion: "test", generatedAt: period.end, period: period, buckets: buckets, partial: false,
            prometheusURL: "http://p", config: baseConfig, lines: lines, allocation: allocation,
            assessment: Assess.assess(
                lines: lines, allocation: allocation, buckets: buckets,
                period: period, config: baseConfig),
            coverage: Coverage(),
            queries: [], diagnostics: [])
        let keep = ProcessInfo.processInfo.environment["CHARGEBACK_RENDER_DIR"]
        let url =
            keep.map { URL(fileURLWithPath: $0).appendingPathComponent("large.xlsx") }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID().uuidString).xlsx")
        defer { if keep == nil { try? FileManager.default.removeItem(at: url) } }
        let before = Self.peakKilobytes()
        let start = Date()
        try WorkbookRenderer.write(report, to: url.path, options: WorkbookOptions(hourly: true))
        let seconds = Date().timeIntervalSince(start)
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        print(
            "large workbook: \(count * buckets.hourCount) line items in \(String(format: "%.1f", seconds)) s, "
                + "\(size / 1_000_000) MB; peak RSS \(before / 1024) MB before, \(Self.peakKilobytes() / 1024) MB after"
        )
        XCTAssertGreaterThan(size, 1_000_000)
        // Past one sheet's rows, Line Items continue on a ninth sheet.
        let sheets = WorkbookData.lineItemRowsPerSheet < count * buckets.hourCount ? 9 : 8
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            let listing = try ChildProcess.runBlocking("/usr/bin/unzip", ["-l", url.path], environment: [:]).stdout
            XCTAssertTrue(listing.contains("xl/worksheets/sheet\(sheets).xml"), listing)
            XCTAssertFalse(listing.contains("xl/worksheets/sheet\(sheets + 1).xml"), listing)
        }
    }

    static func peakKilobytes() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }
}
