import ChargebackConfig
import ChargebackModel
import Foundation

/// Reads a secret (a password, a token) from where the config says, for the targets beside the core.
public enum Secrets {
    /// The secret from its file or environment variable, trimmed.
    /// - Parameter what: what the secret is, for the message (its value is never shown).
    /// - Throws: ``FetchError/secret(_:)`` (exit 64) when it cannot be read or holds a control character.
    public static func read(_ source: SecretSource, what: String) throws -> String {
        try Credentials.read(source, what: what, environment: ProcessInfo.processInfo.environment)
    }
}
