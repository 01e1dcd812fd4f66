import ChargebackModel
import Foundation

/// Reads an `invoices:` entry that fetches a bill: `{ provider, key_file | key_env, url, tls,
/// timeout, retries }` (docs/input-files.md, "Fetching the bill").
enum InvoiceSourceParser {
    static let keys: Set<String> = ["provider", "key_file", "key_env", "url", "tls", "timeout", "retries"]

    /// - Throws: ``InputError`` at the offending key: an unknown provider, no key or two, a key
    ///   written in the config, a URL with credentials or a query.
    static func parse(_ node: YAMLValue, base: URL) throws -> InvoiceSource {
        try node.allowKeys(keys)
        let providerNode = try node.required("provider")
        let provider = CostProvider(rawValue: try providerNode.oneOf(CostProvider.allCases.map(\.rawValue)))!
        let file = try node.optional("key_file")
        let env = try node.optional("key_env")
        let key: SecretSource
        switch (file, env) {
        case (let file?, nil): key = .file(ConfigLoader.resolve(try file.string(), against: base))
        case (nil, let env?): key = .environment(try env.string())
        case (nil, nil):
            throw node.error("needs key_file or key_env: the admin key is never written in the config")
        default: throw node.error("choose one of key_file and key_env")
        }
        var source = InvoiceSource(provider: provider, key: key)
        if let url = try node.optional("url") {
            source.url = try PrometheusSettingsParser.parseURL(try url.string()) { message in
                url.error(
                    message.replacingOccurrences(
                        of: "use bearer_token_file or basic_auth", with: "use key_file or key_env"))
            }
        }
        if let tls = try node.optional("tls") { source.tls = try TLSSettingsParser.parse(tls, base: base) }
        if let value = try node.optional("timeout") {
            source.timeout = try value.duration()
            guard source.timeout > 0, source.timeout <= 3600 else { throw value.error("must be between 1s and 1h") }
        }
        if let value = try node.optional("retries") {
            source.retries = try value.int()
            guard (0...20).contains(source.retries) else { throw value.error("must be between 0 and 20") }
        }
        source.origin = node.path
        return source
    }
}

/// The rules for a cost API's base URL, for `invoices fetch --url`.
public enum InvoiceSourceURL {
    /// - Throws: ``InputError`` for anything but an http(s) URL without credentials or query.
    public static func parse(_ text: String) throws -> URL {
        try PrometheusSettingsParser.parseURL(text) { message in
            InputError(
                file: nil,
                "--url: "
                    + message.replacingOccurrences(
                        of: "use bearer_token_file or basic_auth", with: "use key_file or key_env"))
        }
    }
}
