import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// `invoices:` entries that fetch the bill from a provider's cost API.
final class InvoiceSourceParserTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-invoice-sources")
    override func tearDown() { temporary.remove() }

    private func load(_ invoices: String) throws -> ChargebackConfig {
        try temporary.write("pricing.yaml", ConfigLoaderTests.pricing)
        try temporary.write("teams.yaml", ConfigLoaderTests.teams)
        return try ConfigLoader.load(
            path: temporary.write("chargeback.yaml", ConfigLoaderTests.config + "\n" + invoices))
    }

    func testSourcesSitBesideFiles() throws {
        let billing = try load(
            """
            invoices:
              - invoices/aws.csv
              - { provider: anthropic, key_file: secrets/anthropic }
              - { provider: openai, key_env: OPENAI_ADMIN_KEY, url: "https://proxy.internal/openai/", timeout: 20s, retries: 1 }
            """
        ).billing
        XCTAssertEqual(
            billing.invoices, [temporary.url.standardizedFileURL.appendingPathComponent("invoices/aws.csv").path])
        XCTAssertEqual(billing.sources.map(\.provider), [.anthropic, .openai])
        XCTAssertEqual(
            billing.sources[0].key,
            .file(temporary.url.standardizedFileURL.appendingPathComponent("secrets/anthropic").path))
        XCTAssertEqual(billing.sources[0].url, URL(string: "https://api.anthropic.com"))
        XCTAssertEqual(billing.sources[1].key, .environment("OPENAI_ADMIN_KEY"))
        XCTAssertEqual(billing.sources[1].url.absoluteString, "https://proxy.internal/openai")
        XCTAssertEqual(billing.sources[1].timeout, 20)
        XCTAssertEqual(billing.sources[1].retries, 1)
    }

    func testBadSourcesNameTheirPlace() throws {
        let cases: [(String, String)] = [
            ("invoices: [ { provider: google, key_env: K } ]", "google"),
            ("invoices: [ { provider: anthropic } ]", "needs key_file or key_env"),
            ("invoices: [ { provider: anthropic, key_file: a, key_env: K } ]", "choose one of key_file and key_env"),
            ("invoices: [ { provider: anthropic, key: sk-ant-admin01-x } ]", "unknown key 'key'"),
            ("invoices: [ { provider: openai, key_env: K, url: 'https://u:p@h' } ]", "use key_file or key_env"),
            (
                "invoices: [ { provider: openai, key_env: K }, { provider: openai, key_file: f } ]",
                "a second openai source would count its bill twice"
            ),
            ("invoices: [ { provider: openai, key_env: K, retries: 50 } ]", "between 0 and 20"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try load(text), text) { error in
                let message = (error as? InputError)?.errorDescription ?? "\(error)"
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
                XCTAssertTrue(message.contains("chargeback.yaml"), message)
            }
        }
    }
}
