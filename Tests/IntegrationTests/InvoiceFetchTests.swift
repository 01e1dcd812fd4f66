import Crypto
import Foundation
import TestSupport
import XCTest

/// Issue 30, item 5: a cron-style `report` whose `invoices:` sources fetch both providers' bills
/// from their cost APIs (local servers speaking the documented shapes, four pages each, a 429 with
/// `Retry-After` and a 503 on the way), stores the raw pages beside the reports with their SHA-256
/// in the manifest, and reconciles them exactly as the generator's invoice files.
final class InvoiceFetchTests: XCTestCase {
    func testACronReportFetchesBothBillsPageByPageAndReconcilesThem() async throws {
        let apis = try await CostAPIWorld("fetch")
        defer { Task { await apis.stop() } }
        apis.anthropic.fault(.status(429, headers: [("Retry-After", "1")]), at: 1)
        apis.openai.fault(.status(503, headers: []), at: 2)
        let output = apis.folder.file("reports")
        let run = try await ChildProcess.run(
            CostAPIWorld.binary, apis.reportArguments(output), environment: apis.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "", "--quiet prints nothing on success")

        // Four pages each, plus the retried one; every page after the first asks for the last token.
        for (api, name) in [(apis.anthropic, "anthropic"), (apis.openai, "openai")] {
            let requests = api.requests
            XCTAssertEqual(requests.count, 5, "\(name): 4 pages and one retry")
            XCTAssertEqual(requests.compactMap { $0.value("page") }.count, 4, "\(name): pages 2–4, one asked twice")
            XCTAssertEqual(Set(requests.map { $0.value("limit") }), [name == "anthropic" ? "31" : "180"])
        }
        let first = apis.anthropic.requests[0]
        XCTAssertEqual(first.value("starting_at"), "2026-10-01T00:00:00Z")
        XCTAssertEqual(first.value("ending_at"), "2026-11-01T00:00:00Z")
        XCTAssertEqual(apis.openai.requests[0].value("start_time"), "1790812800")
        XCTAssertEqual(apis.openai.requests[0].value("end_time"), "1793491200")
        let waited = apis.anthropic.requests[1].arrived.duration(to: apis.anthropic.requests[2].arrived)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(990), "the 429's Retry-After: 1 was honoured")
        XCTAssertEqual(apis.anthropic.requests[1].value("page"), apis.anthropic.requests[2].value("page"))
        XCTAssertEqual(apis.openai.requests[2].value("page"), apis.openai.requests[3].value("page"))

        // The pages beside the reports, hashed in the manifest (as outputs, as invoices and as fetches).
        let pages = (1...4).flatMap { n in ["anthropic", "openai"].map { "invoices/\($0)-2026-10-page-\(n).json" } }
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let outputs = try XCTUnwrap(manifest["outputs"] as? [[String: Any]])
        let invoices = try XCTUnwrap(manifest["invoices"] as? [[String: Any]])
        let fetches = try XCTUnwrap(manifest["invoice_fetches"] as? [[String: Any]])
        XCTAssertEqual(fetches.compactMap { $0["provider"] as? String }, ["anthropic", "openai"])
        let fetched = fetches.flatMap { $0["pages"] as? [[String: Any]] ?? [] }
        for page in pages {
            let data = try Data(contentsOf: output.appendingPathComponent(page))
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            for (list, what) in [(outputs, "file"), (invoices, "path"), (fetched, "file")] {
                XCTAssertEqual(
                    list.first { $0[what] as? String == page }?["sha256"] as? String, digest, "\(page) in \(what)s")
            }
        }
        XCTAssertEqual(invoices.count, 8, "one invoice per page")
        let manifestText = try String(contentsOf: output.appendingPathComponent("manifest.json"), encoding: .utf8)
        XCTAssertFalse(manifestText.contains(apis.anthropicKey) || manifestText.contains(apis.openaiKey))

        // The reconciliation finds exactly what the generator put in the invoices.
        let rows = try CostAPIWorld.reconciliation(output)
        let over = rows.filter { $0["status"] == "over" }
        XCTAssertEqual(Set(over.map { $0["model"]! }), ["claude-sonnet-4-5*"])
        XCTAssertEqual(over.map { String($0["period_start"]!.prefix(10)) }, (20...31).map { "2026-10-\($0)" })
        let only = rows.filter { $0["status"] == "invoice_only" }
        XCTAssertEqual(only.map { String($0["period_start"]!.prefix(10)) }, ["2026-10-14"])
        XCTAssertEqual(only.first?["invoiced_cost"], "12.34")
        XCTAssertEqual(rows.count - over.count - only.count, rows.filter { $0["status"] == "ok" }.count, "\(rows)")
        let truth = try apis.truthTotals()
        for provider in ["anthropic", "openai"] {
            let invoiced = rows.filter { $0["provider"] == provider }
                .reduce(Decimal(0)) { $0 + Decimal(string: $1["invoiced_cost"]!)! }
            let days = Decimal(rows.filter { $0["provider"] == provider }.count)
            XCTAssertLessThanOrEqual(
                (invoiced - truth[provider]!).magnitude, days * Decimal(string: "0.005")!,
                "\(provider): invoiced \(invoiced) against the served truth \(truth[provider]!)")
            XCTAssertGreaterThan(truth[provider]!, 100, "\(provider): a real bill")
        }

        // The same reconciliation from the generator's files, and offline from the stored pages.
        let direct = apis.folder.file("direct")
        let fromFiles = try await ChildProcess.run(
            CostAPIWorld.binary,
            apis.reportArguments(direct, ["--no-fetch"] + apis.truthFiles.flatMap { ["--invoice", $0.path] }),
            environment: [:])
        XCTAssertEqual(fromFiles.status, 0, fromFiles.stderr)
        let offline = apis.folder.file("offline")
        let fromPages = try await ChildProcess.run(
            CostAPIWorld.binary,
            apis.reportArguments(
                offline, ["--no-fetch"] + pages.flatMap { ["--invoice", output.appendingPathComponent($0).path] }),
            environment: [:])
        XCTAssertEqual(fromPages.status, 0, fromPages.stderr)
        let csv = "chargeback-2026-10-reconciliation.csv"
        let fetchedCSV = try Data(contentsOf: output.appendingPathComponent(csv))
        XCTAssertEqual(try Data(contentsOf: direct.appendingPathComponent(csv)), fetchedCSV, "as the invoice files")
        XCTAssertEqual(try Data(contentsOf: offline.appendingPathComponent(csv)), fetchedCSV, "offline from the pages")
        XCTAssertEqual(apis.anthropic.requests.count, 5, "--no-fetch asked no API")

        // `invoices fetch` stores the same pages by themselves.
        let folder = apis.folder.file("fetched")
        let fetch = try await ChildProcess.run(
            CostAPIWorld.binary,
            [
                "invoices", "fetch", "--config", apis.config, "--provider", "openai", "--period", "2026-10",
                "--output", folder.path,
            ], environment: apis.environment)
        XCTAssertEqual(fetch.status, 0, fetch.stderr)
        XCTAssertTrue(fetch.stdout.hasPrefix("openai 2026-10: 4 page(s), "), fetch.stdout)
        for n in 1...4 {
            XCTAssertEqual(
                try Data(contentsOf: folder.appendingPathComponent("openai-2026-10-page-\(n).json")),
                try Data(contentsOf: output.appendingPathComponent("invoices/openai-2026-10-page-\(n).json")))
        }
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("openai-2026-10-fetch.json").path))
    }
}
