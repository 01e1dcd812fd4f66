import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackModel

/// `directory:` and `identities:` of chargeback.yaml: the CSV read against teams.yaml, its label in
/// the usage key, and every bad row named by `validate` (file, line, field).
final class DirectoryConfigTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-directory")
    private var folder: URL { temporary.url }

    override func tearDown() { temporary.remove() }

    func write(directory: String, people: String) throws -> String {
        let config = ConfigLoaderTests.config + "\n" + directory
        let files = [
            "chargeback.yaml": config, "pricing.yaml": ConfigLoaderTests.pricing, "teams.yaml": ConfigLoaderTests.teams,
            "people.csv": people,
        ]
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder.appendingPathComponent("chargeback.yaml").path
    }

    func testTheDirectoryLoadsAndItsLabelIsPartOfTheUsageKey() throws {
        let path = try write(
            directory: """
                directory: { file: people.csv, label: user_id }
                identities: { pseudonymize: true, key_env: CB_KEY }
                """,
            people: "identity,team,from,to\nann,Search,,\nbob,Search,,2026-11-14\nbob,Research,2026-11-14,\n")
        let config = try ConfigLoader.load(path: path)
        let directory = try XCTUnwrap(config.teams.directory)
        XCTAssertEqual(directory.label, "user_id")
        XCTAssertEqual(directory.entries["bob"]?.map(\.team), ["Search", "Research"])
        // Midnight in the config's zone (Europe/Berlin).
        XCTAssertEqual(
            directory.entries["bob"]?[1].from,
            Int64(DateText.parseInstant("2026-11-13T23:00:00Z")!.timeIntervalSince1970))
        XCTAssertTrue(config.dimensions.extraLabels.contains("user_id"))
        XCTAssertEqual(config.files.map(\.role), ["config", "pricing", "teams", "directory"])
        XCTAssertEqual(config.identities, IdentitySettings(pseudonymize: true, key: .environment("CB_KEY")))
        XCTAssertEqual(ConfigLoader.problems(path: path), [])
    }

    func testValidateNamesEveryBadRowAndLoadRefusesWithExit64() throws {
        let path = try write(
            directory: "directory: { file: people.csv, label: user_id }",
            people: "identity,team\nann,Search\nann,Search\nbob,Nobody\ncarol\n")
        let problems = ConfigLoader.problems(path: path)
        XCTAssertEqual(
            problems.map { "\(URL(fileURLWithPath: $0.file ?? "").lastPathComponent):\($0.line ?? 0) \($0.message)" },
            [
                "people.csv:3 identity: 'ann' duplicates line 2",
                "people.csv:4 team: 'Nobody' is not a team of teams.yaml",
                "people.csv:5 expected 2 fields, found 1",
            ])
        XCTAssertThrowsError(try ConfigLoader.load(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.exitCode, 64)
            XCTAssertTrue("\(error.localizedDescription)".contains("and 2 more problems"), "\(error)")
        }
    }
}
