import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Why fetching a bill from a provider's cost API failed. The run exits with 1 (docs/exit-codes.md:
/// an HTTP or API error, or an answer that is not valid); a key that cannot be read is a
/// ``FetchError/secret(_:)`` (64) instead.
///
/// Messages name the provider's API, the URL without its query, and for a refused key where the
/// key came from (its file or environment variable), never the key: text the server sent back is
/// redacted before it gets here.
public enum InvoiceFetchError: Error, LocalizedError, Equatable {
    /// 401 or 403: the key is wrong, revoked, or not an admin key.
    case refused(api: String, url: String, status: Int, detail: String, keySource: String)
    /// Any other status that retrying did not cure (or that is not worth retrying).
    case httpStatus(api: String, url: String, status: Int, detail: String, attempts: Int)
    /// Connection refused, DNS or TLS failure, a timeout, after all retries.
    case unreachable(api: String, url: String, reason: String, attempts: Int)
    /// A page that is not the documented JSON: named by its number and the file it would be stored as.
    case badPage(api: String, url: String, page: Int, file: String, detail: String)

    public var errorDescription: String? {
        switch self {
        case .refused(let api, let url, let status, let detail, let keySource):
            return "\(api) at \(url) refused the admin key from \(keySource) (HTTP \(status)\(Self.colon(detail))); "
                + "check that it is an admin key of the organization and has not been revoked"
        case .httpStatus(let api, let url, let status, let detail, let attempts):
            return "\(api) at \(url) answered HTTP \(status) after \(attempts) attempt(s)\(Self.colon(detail))"
        case .unreachable(let api, let url, let reason, let attempts):
            return "cannot reach \(api) at \(url) (\(reason)) after \(attempts) attempt(s); check its url: "
                + "in the invoices: entry and that the server is up"
        case .badPage(let api, let url, let page, let file, let detail):
            return "\(api) at \(url) sent a page that is not a valid cost report: page \(page) (\(file)): \(detail)"
        }
    }

    private static func colon(_ detail: String) -> String { detail.isEmpty ? "" : ": \(detail)" }
}

extension InvoiceFetchError: ExitCodeError {
    public var exitCode: Int32 { ExitStatus.failure }
}
