import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// FOCUS as clouds write it: their times, nulls, quoting, BOM and line ends, read in chunks.
final class FOCUSReadingTests: XCTestCase {
    func testTimesAsCloudsWriteThemAreUTC() {
        let expected = DateText.parseInstant("2024-09-18T22:00:00Z")!
        for text in [
            "2024-09-18 22:00:00", "2024-09-18T22:00:00Z", "2024-09-18T22:00:00", "2024-09-18 22:00",
            "2024-09-18T22:00:00.000Z", "2024-09-18 22:00:00.0000000", "2024-09-18T23:00:00+01:00",
            "2024-09-18t22:00:00z",
        ] {
            XCTAssertEqual(FOCUSValues.time(text), expected, text)
        }
        XCTAssertEqual(FOCUSValues.time("2024-09-18"), DateText.parseInstant("2024-09-18T00:00:00Z"))
        XCTAssertEqual(
            FOCUSValues.time("2024-09-18T22:00:00.25Z")?.timeIntervalSince(expected) ?? 0, 0.25, accuracy: 1e-6)
        for bad in [
            "2024-02-30 00:00:00", "2024-09-18 24:00:00", "2024-09-18 22:00:00 UTC", "18/09/2024 22:00",
            "2024-09-18T22:00:00.1234567890Z", "NULL", "",
        ] {
            XCTAssertNil(FOCUSValues.time(bad), bad)
        }
        XCTAssertNil(FOCUSValues.value("NULL"))
        XCTAssertNil(FOCUSValues.value("null"))
        XCTAssertNil(FOCUSValues.value(""))
        XCTAssertEqual(FOCUSValues.value("NULLS"), "NULLS")
    }

    func testBOMCRLFQuotesAndNullsReadTheSameAsPlainText() throws {
        let charges = [
            FOCUSExport.bedrock("anthropic.claude-sonnet-4-5-20250929-v1:0", "output", cost: "1.5", day: 3),
            FOCUSExport.ec2(cost: "0.0416", day: 3),
        ]
        let plain = try InvoiceReader.parse(Data(FOCUSExport.text(charges).utf8), file: "a.csv")
        let windows = try InvoiceReader.parse(Data(FOCUSExport.text(charges, windows: true).utf8), file: "a.csv")
        XCTAssertEqual(plain.lines, windows.lines)
        XCTAssertEqual(plain.lines.count, 1)
        let line = try XCTUnwrap(windows.lines.first)
        XCTAssertEqual(line.amount, Decimal(string: "1.5"))
        XCTAssertEqual(line.start, DateText.parseInstant("2026-10-03T00:00:00Z"))
        XCTAssertEqual(line.model, "claude-sonnet-4-5-20250929")
        XCTAssertEqual(line.tokenType, "output")
        XCTAssertEqual(line.record, "line 2")
        XCTAssertEqual(windows.summary.lineCount, 2)
        XCTAssertEqual(windows.summary.setAside.map(\.service), ["Amazon Elastic Compute Cloud"])
        // A BOM before a first column that matters.
        let minimal =
            "\u{FEFF}BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ProviderName,ServiceName\r\n"
            + "\"5\",USD,2026-10-01 00:00:00,2026-10-01 01:00:00,AWS,Amazon Bedrock\r\n"
        XCTAssertEqual(try InvoiceReader.parse(Data(minimal.utf8), file: "m.csv").lines.map(\.amount), [5])
    }

    func testTextThatLooksLikeAFormulaStaysText() throws {
        var charge = FOCUSExport.bedrock("anthropic.claude-3-5-haiku-20241022-v1:0", "input", cost: "2", day: 1)
        charge.description = "=HYPERLINK(\"http://x\",\"input tokens\")"
        let invoice = try InvoiceReader.parse(Data(FOCUSExport.text([charge]).utf8), file: "a.csv")
        let line = try XCTUnwrap(invoice.lines.first)
        XCTAssertEqual(line.description, "Usage: =HYPERLINK(\"http://x\",\"input tokens\"): input")
        XCTAssertEqual(line.amount, 2, "a formula in the text changes nothing")
    }

    func testMalformedLinesNameFileLineAndColumn() {
        let good = FOCUSExport.text([
            FOCUSExport.ec2(cost: "1", day: 1), FOCUSExport.ec2(cost: "2", day: 2),
        ])
        let startColumn = FOCUSExport.header.firstIndex(of: "ChargePeriodStart")! + 1
        let costColumn = FOCUSExport.header.firstIndex(of: "BilledCost")! + 1
        let cases: [(String, String)] = [
            (
                good.replacingOccurrences(of: "\"2026-10-02 00:00:00\"", with: "yesterday"),
                "b.csv:3:\(startColumn): column ChargePeriodStart"
            ),
            (good.replacingOccurrences(of: "\"2\"", with: "NULL"), "b.csv:3:\(costColumn): column BilledCost"),
            (good.replacingOccurrences(of: "\"2\"", with: "\"2\",extra"), "b.csv:3: has 23 fields"),
            (good.replacingOccurrences(of: "BillingCurrency", with: "Currency"), "b.csv:1: not a FOCUS CSV"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try InvoiceReader.parse(Data(text.utf8), file: "b.csv")) { error in
                let message = (error as? InputError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.hasPrefix(expected), "\(message) does not start with \(expected)")
                XCTAssertEqual((error as? ExitCodeError)?.exitCode, 64)
            }
        }
    }

    /// `CHARGEBACK_FOCUS_LINES` (default 20,000) lines, read from disk in 64 KiB chunks: only the
    /// AI lines are kept; the rest are counted per service. Run with 1,000,000 under
    /// `/usr/bin/time -v` to see the peak memory stay flat.
    func testALongExportIsReadInChunksKeepingOnlyItsAILines() throws {
        let count = ProcessInfo.processInfo.environment["CHARGEBACK_FOCUS_LINES"].flatMap(Int.init) ?? 20_000
        let folder = TemporaryFolder("focus-export")
        defer { folder.remove() }
        let url = folder.file("export.csv")
        try FOCUSExport.write(lines: count, to: url)
        let invoice = try InvoiceReader.read(path: url.path)
        XCTAssertEqual(invoice.summary.lineCount, count)
        XCTAssertEqual(invoice.lines.count, (count + 99) / 100)
        XCTAssertEqual(
            Set(invoice.lines.compactMap(\.model)), ["claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"])
        XCTAssertEqual(
            Dictionary(uniqueKeysWithValues: invoice.summary.setAside.map { ($0.service, $0.lines) }),
            [
                "Amazon Elastic Compute Cloud": count / 2 - (count + 99) / 100,
                "Amazon Simple Storage Service": count / 2,
            ])
        if count <= 20_000 {
            // Chunk boundaries change nothing.
            let whole = try InvoiceReader.parse(try Data(contentsOf: url), file: url.path)
            XCTAssertEqual(whole.lines, invoice.lines)
            XCTAssertEqual(whole.sha256, invoice.sha256)
        }
    }
}
