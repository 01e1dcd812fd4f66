import Foundation
import TestSupport
import XCTest

/// A cron run whose bill fetch is killed, refused or fed a bad page leaves the previous reports
/// (and their stored pages) byte for byte as they were.
final class KilledFetchTests: XCTestCase {
    func testAKilledOrFailedFetchLeavesThePreviousReportsByteIdentical() async throws {
        let apis = try await CostAPIWorld("killed-fetch")
        defer { Task { await apis.stop() } }
        let output = apis.folder.file("reports")
        let first = try await ChildProcess.run(
            CostAPIWorld.binary, apis.reportArguments(output), environment: apis.environment)
        XCTAssertEqual(first.status, 0, first.stderr)
        let previous = FolderSnapshot(output)
        XCTAssertTrue(previous.files.keys.contains("invoices/anthropic-2026-10-page-4.json"), "\(previous.files.keys)")
        XCTAssertEqual(
            previous.files.count, 1 + 6 + 8 + 1,
            "markdown, six CSVs (adjustments, reconciliation), eight pages, manifest")

        // The next run stalls on Anthropic's second page and is killed there.
        let stalled = apis.anthropic.requests.count + 1
        apis.anthropic.fault(.stall(.seconds(120)), at: stalled)
        let run = try ChildProcess.start(
            CostAPIWorld.binary, apis.reportArguments(output), environment: apis.environment)
        let deadline = ContinuousClock.now + .seconds(30)
        while apis.anthropic.requests.count <= stalled && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertEqual(apis.anthropic.requests.count, stalled + 1, "the run is waiting for the stalled page")
        XCTAssertEqual(apis.anthropic.requests.last?.value("page") != nil, true)
        run.kill(SIGKILL)
        XCTAssertEqual(run.wait().status, 128 + SIGKILL)
        XCTAssertEqual(FolderSnapshot(output), previous, "killed mid-fetch: the previous reports are untouched")

        // A refused key: exit 1 naming the API and where the key came from, not the key.
        var wrong = apis.environment
        wrong[CostAPIWorld.openaiVariable] = "sk-admin-wrong-\(UUID().uuidString)"
        let refused = try await ChildProcess.run(CostAPIWorld.binary, apis.reportArguments(output), environment: wrong)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains(
                "the OpenAI organization costs API at \(apis.openai.url)/v1/organization/costs refused the admin key "
                    + "from the environment variable \(CostAPIWorld.openaiVariable) (HTTP 401"), refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("<redacted>"), "the server echoed the key; it was scrubbed: \(refused.stderr)")
        XCTAssertFalse(refused.stderr.contains(wrong[CostAPIWorld.openaiVariable]!), refused.stderr)
        XCTAssertEqual(FolderSnapshot(output), previous)

        // A page of another shape: exit 1 naming the page and the field.
        let bad = apis.anthropic.requests.count + 1
        apis.anthropic.fault(
            .body(
                #"{"data": [{"starting_at": "2026-10-09T00:00:00Z", "ending_at": "2026-10-10T00:00:00Z", "#
                    + #""results": [{"amount": 12.5, "currency": "USD"}]}], "has_more": false, "next_page": null}"#),
            at: bad)
        let malformed = try await ChildProcess.run(
            CostAPIWorld.binary, apis.reportArguments(output), environment: apis.environment)
        XCTAssertEqual(malformed.status, 1, malformed.stderr)
        XCTAssertTrue(
            malformed.stderr.contains(
                "sent a page that is not a valid cost report: page 2 (invoices/anthropic-2026-10-page-2.json): "
                    + "data[0].results[0].amount: expected a decimal string"), malformed.stderr)
        XCTAssertEqual(FolderSnapshot(output), previous)
    }
}

/// The visible files below a folder (the lock and staging folders are hidden) and their bytes.
struct FolderSnapshot: Equatable {
    let files: [String: Data]

    init(_ folder: URL) {
        var files: [String: Data] = [:]
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for name in names where !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                files[name] = FileManager.default.contents(atPath: url.path)
            }
        }
        self.files = files
    }
}
