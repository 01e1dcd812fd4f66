import Foundation

/// Why talking to Prometheus failed. The command exits with 1.
///
/// URLs in messages never carry credentials, and no secret is ever part of a message.
public enum FetchError: Error, LocalizedError, Equatable {
    /// Connection refused, DNS failure, TLS failure, or a timeout, after all retries.
    case unreachable(url: String, reason: String, attempts: Int)
    /// An HTTP status other than 200 that retrying did not cure.
    case httpStatus(url: String, status: Int, body: String, attempts: Int)
    /// The API answered `status: error`.
    case api(url: String, errorType: String, message: String, query: String)
    /// The body was not the JSON the API documents.
    case badResponse(url: String, detail: String)
    /// A Thanos/Cortex partial response, refused unless `allow_partial_response` is set.
    case partialResponse(url: String, query: String)
    /// A secret file or variable could not be read (its contents are never shown).
    case secret(String)

    public var errorDescription: String? {
        switch self {
        case let .unreachable(url, reason, attempts):
            return "cannot reach Prometheus at \(url) (\(reason)) after \(attempts) attempt(s); "
                + "check prometheus.url or --prometheus-url and that the server is up"
        case let .httpStatus(url, status, body, attempts):
            let detail = body.isEmpty ? "" : ": \(body)"
            return "Prometheus at \(url) answered HTTP \(status) after \(attempts) attempt(s)\(detail)"
        case let .api(url, errorType, message, query):
            return "Prometheus at \(url) rejected the query (\(errorType): \(message)); query: \(query)"
        case let .badResponse(url, detail):
            return "Prometheus at \(url) sent a response that is not a valid API answer: \(detail)"
        case let .partialResponse(url, query):
            return "Prometheus at \(url) returned a partial response (a store did not answer) for \(query); "
                + "a chargeback must not miss data: retry later, or set prometheus.allow_partial_response"
        case let .secret(message):
            return message
        }
    }
}
