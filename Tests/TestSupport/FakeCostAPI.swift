import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A provider's cost API on 127.0.0.1 for tests, speaking the documented shapes: the Anthropic Admin
/// API's `GET /v1/organizations/cost_report` (`x-api-key` and `anthropic-version` headers,
/// `starting_at`/`ending_at`, `group_by[]`, `limit`, `page`; `data[]`, `has_more`, `next_page`) or
/// OpenAI's `GET /v1/organization/costs` (Bearer key, Unix `start_time`/`end_time`, `group_by`,
/// `limit`, `page`; `object: page`, `data[]`, `has_more`, `next_page`).
///
/// It serves the buckets of a whole answer (as generate-history writes one) that fall in the range
/// asked for, `pageSize` buckets a page at most, with opaque page tokens. A wrong key gets the
/// provider's 401 error, echoing the key it was sent (so the client must scrub it). Faults are
/// scripted by the 0-based index of the page request: a status with its headers, a stall, or a
/// body of another shape.
public final class FakeCostAPI: @unchecked Sendable {
    public enum Provider: String, Sendable { case anthropic, openai }

    public enum Fault: Sendable {
        /// Answer with this status (and headers) instead of the page, e.g. 429 with `Retry-After`.
        case status(Int, headers: [(String, String)])
        /// Hold the answer this long before sending it.
        case stall(Duration)
        /// Send this body with 200 instead of the page.
        case body(String)
    }

    /// One page request as it arrived.
    public struct Request: Sendable {
        public let path: String
        /// Query parameters in order (repeated keys kept).
        public let query: [(String, String)]
        public let headers: HTTPHeaders
        public let arrived: ContinuousClock.Instant
        public func value(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
    }

    public let provider: Provider
    public let key: String
    public let pageSize: Int
    public var url: String { "\(scheme)://127.0.0.1:\(server.port)" }
    private let scheme: String

    private let buckets: [[String: Any]]
    private var server: LocalHTTPServer!
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var faults: [Int: Fault] = [:]

    /// - Parameters:
    ///   - answer: a whole answer (one page holding every bucket), whose buckets are served.
    ///   - pageSize: the most buckets on one page (the smaller of it and the request's `limit`).
    ///   - tls: serve HTTPS with this context.
    public init(_ provider: Provider, answer: Data, key: String, pageSize: Int, tls: NIOSSLContext? = nil)
        async throws
    {
        self.provider = provider
        scheme = tls == nil ? "http" : "https"
        self.key = key
        self.pageSize = pageSize
        let root = try JSONSerialization.jsonObject(with: answer) as? [String: Any]
        buckets = root?["data"] as? [[String: Any]] ?? []
        server = try await LocalHTTPServer(tls: tls) { [weak self] request, outbound in
            guard let self else { return .close }
            return try await self.answer(request, outbound)
        }
    }

    public func stop() async { await server.stop() }

    /// Scripts a fault for the page request with this 0-based index (retries count as requests).
    public func fault(_ fault: Fault, at index: Int) { lock.withLock { faults[index] = fault } }

    /// The requests so far, in arrival order.
    public var requests: [Request] { lock.withLock { recorded } }

    private var endpoint: String {
        provider == .anthropic ? "/v1/organizations/cost_report" : "/v1/organization/costs"
    }

    private func answer(_ received: LocalHTTPServer.Request, _ outbound: LocalHTTPServer.Outbound) async throws
        -> LocalHTTPServer.Next
    {
        let head = received.head
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        let query = parts.count > 1 ? Self.decode(parts[1]) : []
        let request = Request(path: parts[0], query: query, headers: head.headers, arrived: .now)
        let fault = lock.withLock {
            recorded.append(request)
            return faults[recorded.count - 1]
        }
        func send(_ status: Int, _ body: String, _ headers: [(String, String)] = []) async throws
            -> LocalHTTPServer.Next
        {
            try await LocalHTTPServer.respond(
                outbound, to: head, status: status,
                headers: HTTPHeaders([("Content-Type", "application/json")] + headers),
                body: ByteBuffer(string: body))
            return .keepReading
        }
        guard head.method == .GET, request.path == endpoint else {
            return try await send(404, error("not_found_error", "no route \(head.method) \(request.path)"))
        }
        if let problem = authProblem(head.headers) { return try await send(401, problem) }
        switch fault {
        case .status(let status, let headers)?:
            return try await send(status, error("overloaded_error", "try again"), headers)
        case .stall(let duration)?:
            try await Task.sleep(for: duration)
        case .body(let body)?:
            return try await send(200, body)
        case nil: break
        }
        do {
            return try await send(200, try page(request))
        } catch let problem as BadRequest {
            return try await send(400, error("invalid_request_error", problem.message))
        }
    }

    private struct BadRequest: Error { let message: String }

    /// The provider's error body.
    private func error(_ type: String, _ message: String) -> String {
        let body: [String: Any] =
            provider == .anthropic
            ? ["type": "error", "error": ["type": type, "message": message]]
            : ["error": ["message": message, "type": type, "param": NSNull(), "code": NSNull()]]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `nil` when the key is right; else the 401 body, echoing what was sent.
    private func authProblem(_ headers: HTTPHeaders) -> String? {
        switch provider {
        case .anthropic:
            let sent = headers.first(name: "x-api-key") ?? ""
            guard sent == key, headers.first(name: "anthropic-version") == "2023-06-01" else {
                return error("authentication_error", "invalid x-api-key '\(sent)'")
            }
        case .openai:
            let sent = headers.first(name: "Authorization") ?? ""
            guard sent == "Bearer \(key)" else {
                return error("invalid_api_key", "Incorrect API key provided: \(sent)")
            }
        }
        return nil
    }

    /// The page the request asks for, as JSON.
    private func page(_ request: Request) throws -> String {
        let (start, end) = try range(request)
        let inRange = buckets.filter { bucket in
            guard let interval = Self.interval(bucket, provider) else { return false }
            return interval.0 >= start && interval.1 <= end
        }
        let limit = min(pageSize, Int(request.value("limit") ?? "7") ?? 7)
        var offset = 0
        if let token = request.value("page") {
            guard token.hasPrefix("page_"), let data = Data(base64Encoded: String(token.dropFirst(5))),
                let number = Int(String(decoding: data, as: UTF8.self))
            else { throw BadRequest(message: "invalid page token") }
            offset = number
        }
        let slice = Array(inRange.dropFirst(offset).prefix(limit))
        let more = offset + slice.count < inRange.count
        var root: [String: Any] = [
            "data": slice, "has_more": more,
            "next_page": more ? "page_" + Data(String(offset + slice.count).utf8).base64EncodedString() : NSNull(),
        ]
        if provider == .openai { root["object"] = "page" }
        return String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The range asked for, checked as the references document the parameters.
    private func range(_ request: Request) throws -> (Date, Date) {
        guard request.value("bucket_width") == "1d" else { throw BadRequest(message: "bucket_width must be 1d") }
        switch provider {
        case .anthropic:
            guard request.value("group_by[]") == "description" else {
                throw BadRequest(message: "expected group_by[]=description")
            }
            let formatter = ISO8601DateFormatter()
            guard let start = request.value("starting_at").flatMap(formatter.date(from:)) else {
                throw BadRequest(message: "starting_at: expected an RFC 3339 time")
            }
            let end = request.value("ending_at").flatMap(formatter.date(from:)) ?? .distantFuture
            return (start, end)
        case .openai:
            guard request.value("group_by") == "line_item" else {
                throw BadRequest(message: "expected group_by=line_item")
            }
            guard let start = request.value("start_time").flatMap(TimeInterval.init) else {
                throw BadRequest(message: "start_time: expected Unix seconds")
            }
            let end = request.value("end_time").flatMap(TimeInterval.init) ?? 1e12
            return (Date(timeIntervalSince1970: start), Date(timeIntervalSince1970: end))
        }
    }

    private static func interval(_ bucket: [String: Any], _ provider: Provider) -> (Date, Date)? {
        switch provider {
        case .anthropic:
            let formatter = ISO8601DateFormatter()
            guard let start = (bucket["starting_at"] as? String).flatMap(formatter.date(from:)),
                let end = (bucket["ending_at"] as? String).flatMap(formatter.date(from:))
            else { return nil }
            return (start, end)
        case .openai:
            guard let start = (bucket["start_time"] as? NSNumber)?.doubleValue,
                let end = (bucket["end_time"] as? NSNumber)?.doubleValue
            else { return nil }
            return (Date(timeIntervalSince1970: start), Date(timeIntervalSince1970: end))
        }
    }

    private static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
