import ChargebackModel
import Foundation

/// Reads a `tls:` block (`ca_file`, `cert_file`, `key_file`, `insecure_skip_verify`), as
/// `prometheus.tls` and `store.tls` take it.
enum TLSSettingsParser {
    /// File paths are resolved against the config's folder.
    /// - Throws: ``InputError`` at the offending key.
    static func parse(_ tls: YAMLValue, base: URL) throws -> TLSSettings {
        try tls.allowKeys(["ca_file", "cert_file", "key_file", "insecure_skip_verify"])
        func path(_ key: String) throws -> String? {
            try tls.optional(key).map { ConfigLoader.resolve(try $0.string(), against: base) }
        }
        let settings = TLSSettings(
            caFile: try path("ca_file"), certFile: try path("cert_file"), keyFile: try path("key_file"),
            insecureSkipVerify: try tls.optional("insecure_skip_verify")?.bool() ?? false)
        if (settings.certFile == nil) != (settings.keyFile == nil) {
            throw tls.error("cert_file and key_file go together")
        }
        return settings
    }
}
