import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// The `store:` block of chargeback.yaml.
final class StoreSettingsParserTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-store-config")
    override func tearDown() { temporary.remove() }

    private func load(_ store: String) throws -> ChargebackConfig {
        try temporary.write("pricing.yaml", ConfigLoaderTests.pricing)
        try temporary.write("teams.yaml", ConfigLoaderTests.teams)
        return try ConfigLoader.load(path: temporary.write("chargeback.yaml", ConfigLoaderTests.config + "\n" + store))
    }

    func testSQLitePathsResolveAgainstTheConfigFolder() throws {
        XCTAssertNil(try load("").store)
        XCTAssertEqual(
            try load("store: { url: 'sqlite://data/usage.sqlite' }").store?.location,
            .sqlite(path: temporary.url.standardizedFileURL.appendingPathComponent("data/usage.sqlite").path))
        XCTAssertEqual(
            try load("store: { url: 'sqlite:///var/lib/chargeback/usage.sqlite' }").store?.location,
            .sqlite(path: "/var/lib/chargeback/usage.sqlite"))
    }

    func testPostgresTakesItsPasswordFromAFileOrTheEnvironment() throws {
        let settings = try load("store: { url: 'postgres://chargeback@db:5432/usage', password_env: PGPASS }").store
        XCTAssertEqual(
            settings?.location,
            .postgres(
                url: URL(string: "postgres://chargeback@db:5432/usage")!,
                password: .environment("PGPASS"), tls: nil))
        XCTAssertEqual(settings?.displayName, "postgres://chargeback@db:5432/usage")
    }

    func testPostgresTakesTLSFilesAsPrometheusDoes() throws {
        let settings = try load(
            "store: { url: 'postgres://chargeback@db/usage', tls: { ca_file: certs/ca.pem } }"
        ).store
        let ca = temporary.url.standardizedFileURL.appendingPathComponent("certs/ca.pem").path
        XCTAssertEqual(
            settings?.location,
            .postgres(
                url: URL(string: "postgres://chargeback@db/usage")!, password: nil, tls: TLSSettings(caFile: ca)))
    }

    func testBadStoreBlocksNameTheLine() throws {
        let cases: [(String, String)] = [
            ("store: { url: 'mysql://db/usage' }", "expected sqlite:///"),
            ("store: { url: 'postgres://u:secret@db/usage' }", "password_file"),
            ("store: { url: 'postgres://db' }", "expected postgres://"),
            ("store: { url: 'postgres://db:5432/usage' }", "expected postgres://user@"),
            ("store: { url: 'sqlite://' }", "needs a file path"),
            ("store: { url: 'sqlite://a.db', password_env: X }", "has no password"),
            ("store: { path: a.db }", "path"),
            ("store: { url: 'sqlite://a.db', tls: { ca_file: x } }", "has no password or TLS"),
            ("store: { url: 'postgres://u@db/usage', tls: { cert_file: c } }", "go together"),
        ]
        for (block, expected) in cases {
            XCTAssertThrowsError(try load(block), block) { error in
                let input = error as? InputError
                XCTAssertEqual(input?.line, 12, "\(block): \(error)")
                XCTAssertTrue(input?.message.contains(expected) == true, "\(block): \(error)")
                XCTAssertFalse("\(error.localizedDescription)".contains("secret"), "the password is never echoed")
            }
        }
    }
}
