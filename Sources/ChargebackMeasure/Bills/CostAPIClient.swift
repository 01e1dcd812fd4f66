import AsyncHTTPClient
import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Reads every page of one provider's cost API for a range of UTC days.
///
/// Follows `has_more`/`next_page` to the end; retries connection errors, timeouts, 429 and 5xx
/// with ``RetryPolicy`` (exponential backoff with jitter, `Retry-After` honoured) as the
/// Prometheus client does. The admin key is read once, sent only in its header, and scrubbed from
/// anything the server sends back before it reaches an error or a log line.
package struct CostAPIClient {
    let source: InvoiceSource
    let logger: Logger
    /// The first retry delay in seconds (doubles each attempt).
    var backoffBase = 0.5
    var environment = ProcessInfo.processInfo.environment

    /// Bodies larger than this are refused (a month of daily buckets is a few hundred KiB).
    static let maxBodyBytes = 64 << 20
    /// Pages larger than this many are refused, so a server repeating itself cannot loop forever.
    static let maxPages = 10_000

    /// The raw bytes of every page, in order.
    /// - Parameter name: the file page `n` (1-based) is stored as, for messages.
    /// - Throws: ``FetchError/secret(_:)`` (exit 64) for a key that cannot be read,
    ///   ``InvoiceFetchError`` (exit 1) for a refused key, an HTTP error, an unreachable server or
    ///   a page that is not the documented JSON.
    func pages(_ request: CostAPIRequest, name: (Int) -> String) async throws -> [Data] {
        let key = try Credentials.read(
            source.key, what: "\(source.provider.rawValue) admin key", environment: environment)
        let redact = { (text: String) in text.replacingOccurrences(of: key, with: "<redacted>") }
        var configuration = HTTPClient.Configuration(
            timeout: .init(
                connect: .milliseconds(Int64(min(source.timeout, 10) * 1000)),
                read: .milliseconds(Int64(source.timeout * 1000))))
        configuration.tlsConfiguration = try TLSFiles.configuration(
            source.tls, key: "invoices (\(source.provider.rawValue)).tls")
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            var pages: [Data] = []
            var token: String?
            var seen: Set<String> = []
            repeat {
                let number = pages.count + 1
                let body = try await get(
                    request, page: token, key: key, redact: redact, http: http, number: number, file: name(number))
                let next = try Self.next(body, page: number) { detail in
                    InvoiceFetchError.badPage(
                        api: source.provider.apiName, url: request.endpoint, page: number, file: name(number),
                        detail: redact(detail))
                }
                pages.append(body)
                logger.debug(
                    "fetched cost page",
                    metadata: [
                        "provider": .string(source.provider.rawValue), "page": .stringConvertible(number),
                        "bytes": .stringConvertible(body.count),
                    ])
                if let next, !seen.insert(next).inserted || pages.count >= Self.maxPages {
                    throw InvoiceFetchError.badPage(
                        api: source.provider.apiName, url: request.endpoint, page: number, file: name(number),
                        detail:
                            "the pagination does not end (a next_page token repeats, or more than \(Self.maxPages) pages)"
                    )
                }
                token = next
            } while token != nil
            try? await http.shutdown()
            return pages
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// The page's `next_page` when `has_more` is true, `nil` when it is the last.
    /// - Throws: what `bad` makes of the problem when the page is not a JSON object with `data`
    ///   (a list), `has_more` (true or false) and, with more to come, a `next_page` token.
    package static func next(_ body: Data, page: Int, bad: (String) -> Error) throws -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: body) else {
            let start = String(decoding: body.prefix(40), as: UTF8.self)
            throw bad("not JSON (\(body.count) bytes, starting '\(start)')")
        }
        guard let object = root as? [String: Any] else { throw bad("expected a JSON object") }
        guard object["data"] is [Any] else { throw bad("data: expected a list") }
        guard let more = object["has_more"] as? Bool else { throw bad("has_more: expected true or false") }
        guard more else { return nil }
        guard let token = object["next_page"] as? String, !token.isEmpty else {
            throw bad("next_page: expected a token when has_more is true")
        }
        return token
    }

    /// One page, tried again on what is worth trying again.
    private func get(
        _ request: CostAPIRequest, page: String?, key: String, redact: (String) -> String, http: HTTPClient,
        number: Int, file: String
    ) async throws -> Data {
        let retry = RetryPolicy(retries: source.retries, base: backoffBase)
        let api = source.provider.apiName
        var lastProblem = ""
        for attempt in 1...retry.attempts {
            var outgoing = HTTPClientRequest(url: request.url(page: page))
            outgoing.method = .GET
            for (name, value) in request.headers(key: key) { outgoing.headers.add(name: name, value: value) }
            var retryAfter: String?
            do {
                let response = try await http.execute(
                    outgoing, timeout: .milliseconds(Int64(source.timeout * 1000)), logger: nil)
                let body = Data(try await response.body.collect(upTo: Self.maxBodyBytes).readableBytesView)
                let status = Int(response.status.code)
                if status == 200 { return body }
                let detail = redact(Self.errorText(body))
                if status == 401 || status == 403 {
                    throw InvoiceFetchError.refused(
                        api: api, url: request.endpoint, status: status, detail: detail,
                        keySource: source.key.description)
                }
                guard RetryPolicy.isRetryable(status: status), attempt < retry.attempts else {
                    throw InvoiceFetchError.httpStatus(
                        api: api, url: request.endpoint, status: status, detail: detail, attempts: attempt)
                }
                lastProblem = "HTTP \(status)"
                retryAfter = response.headers.first(name: "Retry-After")
            } catch let error as InvoiceFetchError {
                throw error
            } catch is NIOTooManyBytesError {
                throw InvoiceFetchError.badPage(
                    api: api, url: request.endpoint, page: number, file: file,
                    detail: "an answer larger than \(Self.maxBodyBytes) bytes")
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastProblem = redact(NetworkProblem.describe(error))
                if attempt == retry.attempts {
                    throw InvoiceFetchError.unreachable(
                        api: api, url: request.endpoint, reason: lastProblem, attempts: attempt)
                }
            }
            let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            logger.warning(
                "retrying cost API request",
                metadata: [
                    "url": .string(request.endpoint), "problem": .string(lastProblem),
                    "attempt": .stringConvertible(attempt), "delay_s": .string(String(format: "%.2f", delay)),
                ])
            try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        }
        throw InvoiceFetchError.unreachable(
            api: api, url: request.endpoint, reason: lastProblem, attempts: retry.attempts)
    }

    /// The error's own words: Anthropic's `{"type": "error", "error": {"type", "message"}}`, OpenAI's
    /// `{"error": {"message", "type", "code"}}`, else the body's start on one line.
    static func errorText(_ body: Data) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let error = object["error"] as? [String: Any]
        {
            let kind = (error["type"] as? String) ?? (error["code"] as? String)
            let message = error["message"] as? String ?? ""
            return [kind, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}
