import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The delivery ledger: what it keeps, that it is replaced whole, and that a broken one stops the run.
final class DeliveryLedgerTests: XCTestCase {
    func testEntriesSurviveAReloadAndOnlyAcceptedOnesCount() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cb-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var ledger = try DeliveryLedger(directory: folder)
        XCTAssertTrue(ledger.entries.isEmpty)
        func entry(_ recipient: String, _ status: String) -> DeliveryLedger.Entry {
            DeliveryLedger.Entry(
                message: "teams/A/a.eml", messageID: "<m@x>", sha256: "00", recipient: recipient,
                status: status, at: "2026-11-01T06:00:00Z", reply: "250 ok", attempts: 1)
        }
        try ledger.record([entry("a@x.com", "accepted"), entry("b@x.com", "failed")])
        let reloaded = try DeliveryLedger(directory: folder)
        XCTAssertEqual(reloaded.entries, ledger.entries)
        XCTAssertNotNil(reloaded.accepted("teams/A/a.eml", for: "A@X.com"), "addresses compare case-insensitively")
        XCTAssertNil(reloaded.accepted("teams/A/a.eml", for: "b@x.com"), "a failure is not a delivery")
        XCTAssertNil(reloaded.accepted("teams/B/b.eml", for: "a@x.com"))
        try ledger.record([entry("c@x.com", "unknown")])
        XCTAssertNotNil(ledger.unknown("teams/A/a.eml", for: "c@x.com"), "maybe delivered: held back")
        XCTAssertNil(ledger.unknown("teams/A/a.eml", for: "b@x.com"))
        try ledger.record([entry("c@x.com", "accepted")])
        XCTAssertNil(ledger.unknown("teams/A/a.eml", for: "c@x.com"), "a later acceptance settles it")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path), [DeliveryLedger.fileName],
            "no temporary file is left")
        let text = try String(contentsOf: folder.appendingPathComponent(DeliveryLedger.fileName), encoding: .utf8)
        XCTAssertTrue(text.contains("\"message_id\" : \"<m@x>\""), text)

        try Data("{ not json".utf8).write(to: folder.appendingPathComponent(DeliveryLedger.fileName))
        XCTAssertThrowsError(try DeliveryLedger(directory: folder)) { error in
            XCTAssertTrue((error as? InputError)?.message.contains("not a delivery ledger") == true, "\(error)")
        }
    }
}
