import ChargebackModel
import Foundation

/// Reads the `store:` block of chargeback.yaml.
enum StoreSettingsParser {
    /// `url: sqlite:///abs/path`, `sqlite://relative/path` (against the config's folder) or
    /// `postgres://user@host:5432/db` with `password_file` or `password_env`.
    /// - Throws: ``InputError`` at the offending key.
    /// - Parameter extraKeys: keys of a block that holds a database location among others
    ///   (`attribution:`), read by its own parser.
    static func parse(_ node: YAMLValue, base: URL, extraKeys: [String] = []) throws -> StoreSettings {
        try node.allowKeys(Set(["url", "password_file", "password_env", "tls"] + extraKeys))
        let urlNode = try node.required("url")
        let text = try urlNode.string()
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw urlNode.error("sqlite:// needs a file path, e.g. sqlite:///var/lib/chargeback/usage.sqlite")
            }
            if try node.optional("password_file") != nil || node.optional("password_env") != nil
                || node.optional("tls") != nil
            {
                throw node.error(
                    "an SQLite database has no password or TLS; remove password_file, password_env and tls")
            }
            return StoreSettings(location: .sqlite(path: ConfigLoader.resolve(path, against: base)))
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let url = URL(string: text), let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
                components.host?.isEmpty == false, components.user?.isEmpty == false, components.path.count > 1
            else {
                throw urlNode.error("expected postgres://user@host:5432/database")
            }
            if components.password != nil {
                throw urlNode.error(
                    "the URL carries a password; put it in a file (password_file) or an environment "
                        + "variable (password_env)")
            }
            var password: SecretSource?
            if let file = try node.optional("password_file") {
                password = .file(ConfigLoader.resolve(try file.string(), against: base))
            } else if let env = try node.optional("password_env") {
                password = .environment(try env.string())
            }
            var tls: TLSSettings?
            if let node = try node.optional("tls") {
                tls = try TLSSettingsParser.parse(node, base: base)
            }
            return StoreSettings(location: .postgres(url: url, password: password, tls: tls))
        }
        throw urlNode.error("expected sqlite:///path/to/file.sqlite or postgres://user@host:5432/database")
    }
}
