import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackModel

/// The `attribution:` block of chargeback.yaml.
final class AttributionSettingsTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-attribution-config")
    override func tearDown() { temporary.remove() }

    private func load(_ block: String) throws -> ChargebackConfig {
        try temporary.write("pricing.yaml", ConfigLoaderTests.pricing)
        try temporary.write("teams.yaml", ConfigLoaderTests.teams)
        return try ConfigLoader.load(path: temporary.write("chargeback.yaml", ConfigLoaderTests.config + "\n" + block))
    }

    func testTheLogIsReadAsTheStoreIsReachedWithUserAsTheDefaultIdentity() throws {
        let sqlite = try XCTUnwrap(
            load("attribution: { source: agentgateway-log, url: 'sqlite://agw/requests.db' }").attribution)
        XCTAssertEqual(
            sqlite.database.location,
            .sqlite(path: temporary.url.standardizedFileURL.appendingPathComponent("agw/requests.db").path))
        XCTAssertEqual(sqlite.identity, .user)
        XCTAssertEqual(sqlite.match, .gateway)
        XCTAssertEqual(sqlite.scrapeIntervalSeconds, 60)
        let postgres = try XCTUnwrap(
            load(
                """
                attribution:
                  source: agentgateway-log
                  url: postgres://reader@logs:5432/agentgateway?sslmode=require
                  password_file: secret
                  identity: api_key
                  match: model
                  scrape_interval: 30s
                """
            ).attribution)
        XCTAssertEqual(
            postgres.database.location,
            .postgres(
                url: URL(string: "postgres://reader@logs:5432/agentgateway?sslmode=require")!,
                password: .file(temporary.url.standardizedFileURL.appendingPathComponent("secret").path), tls: nil))
        XCTAssertEqual(postgres.label, "agw_api_key_name")
        XCTAssertEqual(postgres.match, .model)
        XCTAssertEqual(postgres.scrapeIntervalSeconds, 30)
    }

    func testTheIdentityLabelIsAddedAfterTheSeriesLabelsForCostingOnly() throws {
        let config = try load("attribution: { source: agentgateway-log, url: 'sqlite:///x.db', identity: group }")
        XCTAssertFalse(config.dimensions.extraLabels.contains("agentgateway_group"), "no series has it")
        XCTAssertEqual(config.costDimensions.extraLabels, config.dimensions.extraLabels + ["agentgateway_group"])
    }

    func testMistakesAreNamedAtTheirKey() throws {
        for (block, fragment) in [
            ("attribution: { source: langfuse, url: 'sqlite:///x.db' }", "expected one of agentgateway-log"),
            (
                "attribution: { source: agentgateway-log, url: 'sqlite:///x.db', identity: email }",
                "user, group, api_key"
            ),
            ("attribution: { source: agentgateway-log, url: 'sqlite:///x.db', password_env: X }", "no password"),
            ("attribution: { source: agentgateway-log, url: 'postgres://u:pw@h/db' }", "carries a password"),
            ("attribution: { source: agentgateway-log, url: 'mysql://h/db' }", "expected sqlite:///"),
            ("attribution: { source: agentgateway-log, url: 'sqlite:///x.db', scrape_interval: 2h }", "1s to 1h"),
            ("attribution: { source: agentgateway-log, url: 'sqlite:///x.db', labels: x }", "unknown key 'labels'"),
        ] {
            XCTAssertThrowsError(try load(block), block) { error in
                let input = error as? InputError
                XCTAssertEqual(input?.line, 12, "\(block): \(error)")
                XCTAssertTrue(input?.message.contains(fragment) == true, "\(block): \(error)")
            }
        }
    }
}
