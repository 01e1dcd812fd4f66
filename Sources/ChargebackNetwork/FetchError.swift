import ChargebackConfig
import ChargebackModel
import Foundation

/// Why talking to Prometheus failed. The command exits with 1, or 64 for a secret that cannot be
/// read (an input-file error, ``isInputProblem``).
///
/// URLs in messages never carry credentials, and no secret is ever part of a message: text the
/// server sent back is redacted before it gets here.
///
/// | what happened | case | retried |
/// | --- | --- | --- |
/// | connection refused, DNS or TLS failure, timeout, connection closed mid-answer | ``unreachable(url:reason:attempts:)`` | yes |
/// | HTTP 429, 500, 502, 503, 504 (waiting at least `Retry-After`) | ``httpStatus(url:status:body:attempts:)`` once retries are spent | yes |
/// | any other HTTP status (401, 403, 404, 3xx, …) | ``httpStatus(url:status:body:attempts:)`` | no |
/// | `status: error` with `errorType`/`error`, whatever the HTTP status but 429/503 | ``api(url:errorType:message:query:)`` | no |
/// | a body that is not JSON, truncated JSON, or JSON of the wrong shape | ``badResponse(url:detail:)`` | no |
/// | `partialResponse: true` (Thanos-style) or `isPartial: true` (VictoriaMetrics cluster) | ``partialResponse(url:query:)`` unless `prometheus.allow_partial_response` | no |
/// | no series of the token counter in the range read | ``noSeries(url:selector:from:to:remedy:)`` | no |
///
/// `warnings` in a successful answer are not errors: they become report diagnostics.
public enum FetchError: Error, LocalizedError, Equatable {
    /// Connection refused, DNS failure, TLS failure, a timeout, or a connection closed mid-answer, after all retries.
    case unreachable(url: String, reason: String, attempts: Int)
    /// An HTTP status other than 200 that retrying did not cure (or that is not worth retrying).
    case httpStatus(url: String, status: Int, body: String, attempts: Int)
    /// The API answered `status: error`.
    case api(url: String, errorType: String, message: String, query: String)
    /// The body was not the JSON the API documents: not JSON, truncated, or the wrong shape.
    case badResponse(url: String, detail: String)
    /// A partial response (a store or storage node did not answer), refused unless `allow_partial_response` is set.
    case partialResponse(url: String, query: String)
    /// A secret file or variable could not be read (its contents are never shown).
    case secret(String)
    /// The token counter has no series at all in the range read: a wrong metric name, selector or
    /// URL (a port that reaches another Prometheus) would otherwise give a $0 report.
    case noSeries(url: String, selector: String, from: Date, to: Date, remedy: String)

    /// Whether the fault lies in the input (a secret's file or variable), not in the run.
    public var isInputProblem: Bool {
        if case .secret = self { return true }
        return false
    }

    public var errorDescription: String? {
        switch self {
        case .unreachable(let url, let reason, let attempts):
            let advice =
                reason.contains("timed out")
                ? "the server is slow or stuck: raise prometheus.timeout or lower prometheus.chunk"
                : "check prometheus.url or --prometheus-url and that the server is up"
            return "cannot reach Prometheus at \(url) (\(reason)) after \(attempts) attempt(s); \(advice)"
        case .httpStatus(let url, let status, let body, let attempts):
            let detail = body.isEmpty ? "" : ": \(body)"
            return "Prometheus at \(url) answered HTTP \(status) after \(attempts) attempt(s)\(detail)"
                + Self.hint(status: status)
        case .api(let url, let errorType, let message, let query):
            return "Prometheus at \(url) rejected the query (\(errorType): \(message)); query: \(query)"
                + Self.limitHint(message)
        case .badResponse(let url, let detail):
            return "Prometheus at \(url) sent a response that is not a valid API answer: \(detail)"
        case .partialResponse(let url, let query):
            return "Prometheus at \(url) returned a partial response (a store did not answer) for \(query); "
                + "a chargeback must not miss data: retry later, or set prometheus.allow_partial_response"
        case .secret(let message):
            return message
        case .noSeries(let url, let selector, let from, let to, let remedy):
            return "Prometheus at \(url) has no series of \(selector) between \(DateText.utc(from)) and "
                + "\(DateText.utc(to)): nothing to charge. Check metrics.tokens (the metric name), metrics.selector "
                + "and prometheus.url or --prometheus-url (a wrong port may reach another Prometheus)\(remedy)"
        }
    }

    /// Which of the backend's limits refused, and how to raise it (the fetch already splits series
    /// lookups by label and reads raw samples in `prometheus.chunk` windows).
    static func limitHint(_ message: String) -> String {
        if message.contains("matching timeseries exceeds") {
            let isLookup = message.contains("cannot fetch time series") || message.contains("label")
            let flag = isLookup ? "-search.maxSeries" : "-search.maxUniqueTimeseries"
            return "; VictoriaMetrics' limit on matching series (\(flag)) refused even after splitting the "
                + "lookup by label: raise \(flag) on the server (vmselect in a cluster), or narrow metrics.selector"
        }
        if message.contains("too many samples") {
            return "; Prometheus' --query.max-samples refused it: raise --query.max-samples on the server, "
                + "or lower prometheus.chunk"
        }
        if message.contains("-search.maxSamplesPerQuery") || message.contains("-search.maxPointsPerTimeseries") {
            return "; a VictoriaMetrics sample limit refused it: raise the flag named above on the server, "
                + "or lower prometheus.chunk"
        }
        return ""
    }

    /// What to check for a status that is not a server-side hiccup.
    private static func hint(status: Int) -> String {
        switch status {
        case 401, 403: "; check the credentials (bearer_token_file, bearer_token_env, basic_auth) and headers"
        case 404: "; check the path prefix in prometheus.url (Mimir serves under /prometheus)"
        case 300..<400: "; the server redirects: set prometheus.url to the final address"
        default: ""
        }
    }
}

extension FetchError: ExitCodeError {
    /// 64 for a secret that cannot be read (the input's fault), else 1.
    public var exitCode: Int32 { isInputProblem ? ExitStatus.inputError : ExitStatus.failure }
}
