import ChargebackConfig
import ChargebackModel
import Foundation

/// The `Authorization` header for a Prometheus connection, and the secrets it must never leak.
///
/// Secrets are read once, from a file or an environment variable (never from the config or a
/// flag). Every text that came from the server passes through ``redact(_:)`` before it reaches an
/// error, a log line or a report, so a proxy that echoes request headers cannot leak them.
package struct Credentials: Sendable {
    /// The header value, e.g. `Bearer …` or `Basic …`; `nil` without authentication.
    package let authorization: String?
    /// Every form in which a secret could come back: the raw secret, the header value, the base64 pair.
    private let secrets: [String]

    /// - Throws: ``FetchError/secret(_:)`` when a token or password cannot be read (its contents are never shown).
    package init(_ auth: PrometheusSettings.Auth, environment: [String: String]) throws {
        switch auth {
        case .none:
            authorization = nil
            secrets = []
        case .bearer(let source):
            let token = try Self.read(source, what: "bearer token", environment: environment)
            authorization = "Bearer " + token
            secrets = [token]
        case .basic(let username, let source):
            let password = try Self.read(source, what: "basic-auth password", environment: environment)
            let pair = Data("\(username):\(password)".utf8).base64EncodedString()
            authorization = "Basic " + pair
            secrets = [password, pair]
        }
    }

    /// The length in bytes of the longest secret (0 without authentication).
    package var longestSecret: Int { secrets.map(\.utf8.count).max() ?? 0 }

    /// `text` with every secret replaced by `<redacted>`.
    package func redact(_ text: String) -> String {
        secrets.reduce(text) { text, secret in
            secret.isEmpty ? text : text.replacingOccurrences(of: secret, with: "<redacted>")
        }
    }

    /// One secret from its file or environment variable, trimmed; refused with a control character.
    package static func read(_ source: SecretSource, what: String, environment: [String: String]) throws -> String {
        let secret = try readRaw(source, what: what, environment: environment)
        guard !secret.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FetchError.secret("the \(what) from \(source.description) contains a line break or control character")
        }
        return secret
    }

    private static func readRaw(_ source: SecretSource, what: String, environment: [String: String]) throws -> String {
        switch source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path),
                let text = String(data: data, encoding: .utf8)
            else {
                throw FetchError.secret("cannot read the \(what) file \(path)")
            }
            let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty else { throw FetchError.secret("the \(what) file \(path) is empty") }
            return secret
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw FetchError.secret("the environment variable \(name) for the \(what) is not set")
            }
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

extension SecretSource: CustomStringConvertible {
    /// Where the secret comes from (never its value).
    public var description: String {
        switch self {
        case .file(let path): "the file \(path)"
        case .environment(let name): "the environment variable \(name)"
        }
    }
}
