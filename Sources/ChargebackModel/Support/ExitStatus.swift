import Foundation

/// The exit codes of every command (docs/exit-codes.md).
public enum ExitStatus {
    /// The command did what it was asked.
    public static let success: Int32 = 0
    /// The run failed: Prometheus unreachable after retries, a bad response, a write failure, a lock.
    public static let failure: Int32 = 1
    /// The report was written and a threshold or budget was breached, with `--fail-on-breach`.
    public static let breach: Int32 = 3
    /// Some mail was not delivered, or may not have been (EX_TEMPFAIL): the report was written
    /// and `mail-ledger.json` says which and why; `chargeback mail` again can fix it.
    public static let undelivered: Int32 = 75
    /// A usage or input-file error (ArgumentParser's validation code).
    public static let inputError: Int32 = 64
}

/// An error that knows the exit code it ends a command with and how it reads as diagnostics, so
/// the front end needs no list of error types.
public protocol ExitCodeError: Error {
    /// One of ``ExitStatus``'s codes.
    var exitCode: Int32 { get }
    /// What the front end prints, one line each (`error:` and the located message).
    var diagnostics: [Diagnostic] { get }
}

extension ExitCodeError {
    /// The error's description as one error diagnostic.
    public var diagnostics: [Diagnostic] {
        [.error((self as? LocalizedError)?.errorDescription ?? "\(self)")]
    }
}
