import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackModel

/// `validate --online` with a directory: the identities it lists that no series carries, and those
/// the series carry that it does not list (the rules place them, so they are not unmapped).
final class DirectoryOnlineCheckTests: XCTestCase {
    func testUnseenAndUnlistedIdentitiesAreNamedOnTheDirectory() async throws {
        let identities = IdentityWorld()
        var config = try identities.config(pseudonymize: false)
        config.files = [InputFileRecord(role: "directory", path: "people.csv", contents: Data())]
        var csv = "identity,team\n" + identities.people.map { "\($0),Search\n" }.joined()
        csv += "dora.gone@example.com,Research\n"
        config.teams.directory =
            TeamDirectory.read(
                Data(csv.utf8), file: "people.csv", label: "user_id", zone: TimeZone(identifier: "UTC")!,
                knownTeams: ["Search", "Research"]
            ).directory
        let backend = InMemoryBackend(series: identities.world(), settings: config.prometheus)
        let window = OnlineCheckWindow(
            start: DateText.parseInstant("2026-10-01T00:00:00Z")!, end: DateText.parseInstant("2026-10-03T00:00:00Z")!,
            origin: "test")
        let result = try await OnlineCheck.run(config: config, client: backend, window: window)
        XCTAssertEqual(result.unseenIdentities, ["dora.gone@example.com"])
        XCTAssertEqual(result.unlistedIdentities, [identities.evil])
        XCTAssertEqual(result.unmappedUsage, [])
        let messages = result.diagnostics(config: config).map(\.description)
        XCTAssertTrue(
            messages.contains(
                "people.csv: 1 identities of the directory are never seen in the window: 'dora.gone@example.com'"),
            "\(messages)")
        XCTAssertTrue(
            messages.contains { $0.hasPrefix("people.csv: 1 identities seen in the window are not in the directory") },
            "\(messages)")
    }
}
