import ChargebackModel
import Foundation

/// `directory: { file: people.csv, label: user_id }`: the identity directory, read and checked
/// against the teams of `teams.yaml`.
enum DirectoryParser {
    /// The directory and its file's record, with every problem its rows have (empty when sound).
    /// - Throws: ``InputError`` when the block itself is wrong or the file cannot be read.
    static func load(
        _ node: YAMLValue, base: URL, zone: TimeZone, teams: TeamBook
    ) throws -> (directory: TeamDirectory, record: InputFileRecord, problems: [InputError]) {
        try node.allowKeys(["file", "label"])
        let fileNode = try node.required("file")
        let path = ConfigLoader.resolve(try fileNode.string(), against: base)
        let labelNode = try node.required("label")
        let label = try labelNode.string()
        guard !label.isEmpty else { throw labelNode.error("expected a label name such as user_id") }
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw fileNode.error("the file \(path) \(why)")
        }
        let (directory, problems) = TeamDirectory.read(
            data, file: path, label: label, zone: zone, knownTeams: Set(teams.teams.map(\.name)))
        return (directory, InputFileRecord(role: "directory", path: path, contents: data), problems)
    }
}

/// `identities:` of `chargeback.yaml`: whether identity values leave as keyed pseudonyms, and where
/// the key is read from.
public struct IdentitySettings: Sendable, Equatable {
    public var pseudonymize = false
    /// The HMAC key's file or environment variable (required with `pseudonymize: true`).
    public var key: SecretSource?

    public init(pseudonymize: Bool = false, key: SecretSource? = nil) {
        self.pseudonymize = pseudonymize
        self.key = key
    }

    /// `{ pseudonymize: true, key_file: … | key_env: … }`.
    static func parse(_ node: YAMLValue) throws -> IdentitySettings {
        try node.allowKeys(["pseudonymize", "key_file", "key_env"])
        var settings = IdentitySettings()
        settings.pseudonymize = try node.optional("pseudonymize")?.bool() ?? false
        if let file = try node.optional("key_file") { settings.key = .file(try file.string()) }
        if let env = try node.optional("key_env") {
            guard settings.key == nil else { throw env.error("give either key_file or key_env") }
            settings.key = .environment(try env.string())
        }
        if settings.pseudonymize && settings.key == nil {
            throw node.error("pseudonymize: true needs the HMAC key's key_file or key_env")
        }
        return settings
    }
}
