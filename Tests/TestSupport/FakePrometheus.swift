import Foundation
import NIOCore
import NIOHTTP1

/// A scriptable HTTP server on 127.0.0.1 that plays a (misbehaving) Prometheus in tests.
///
/// Every request is recorded (path, headers, form) for the test to inspect; the script decides
/// each answer from the request and its 0-based index. Stop it with ``stop()``.
public final class FakePrometheus: @unchecked Sendable {
    /// One request as it arrived.
    public struct Request: Sendable {
        public let method: String
        /// The path without a query string, e.g. `/prometheus/api/v1/query`.
        public let path: String
        public let headers: HTTPHeaders
        /// The decoded form body (and URL query), last value wins.
        public let form: [String: String]
        public let arrived: ContinuousClock.Instant

        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// How to answer one request.
    public struct Reply: Sendable {
        public var status = 200
        public var headers: [(String, String)] = [("Content-Type", "application/json")]
        public var body = ""
        /// Wait before sending anything.
        public var delay: Duration = .zero
        /// Wait between the head and the body.
        public var bodyDelay: Duration = .zero
        /// A `Content-Length` larger than the body: the connection closes after the body, cut short.
        public var declaredLength: Int?
        /// Close the connection without answering.
        public var hangUp = false

        public init(
            status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")],
            body: String = "", delay: Duration = .zero, bodyDelay: Duration = .zero, declaredLength: Int? = nil,
            hangUp: Bool = false
        ) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.bodyDelay = bodyDelay
            self.declaredLength = declaredLength
            self.hangUp = hangUp
        }

        public static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    public typealias Script = @Sendable (Request, Int) -> Reply

    public var port: Int { server.port }
    public var url: String { "http://127.0.0.1:\(port)" }

    private var server: LocalHTTPServer!
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var sent = 0

    /// Starts listening on a free port.
    public init(script: @escaping Script) async throws {
        server = try await LocalHTTPServer { [weak self] request, outbound in
            guard let self else { return .close }
            return try await self.answer(request, script, outbound)
        }
    }

    /// Closes the listening socket and every open connection.
    public func stop() async {
        await server.stop()
    }

    /// The requests so far, in arrival order.
    public var requests: [Request] { lock.withLock { recorded } }

    /// Body bytes of complete answers sent so far.
    public var bytesSent: Int { lock.withLock { sent } }

    private func record(_ request: Request) -> Int {
        lock.withLock {
            recorded.append(request)
            return recorded.count - 1
        }
    }

    private func answer(
        _ received: LocalHTTPServer.Request, _ script: Script,
        _ outbound: LocalHTTPServer.Outbound
    ) async throws -> LocalHTTPServer.Next {
        let head = received.head
        let request = Self.request(head, received.body)
        let reply = script(request, record(request))
        if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
        if reply.hangUp { return .close }
        let bytes = ByteBuffer(string: reply.body)
        var headers = HTTPHeaders(reply.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(reply.declaredLength ?? bytes.readableBytes))
        try await outbound.write(
            .head(
                HTTPResponseHead(
                    version: head.version, status: .init(statusCode: reply.status),
                    headers: headers)))
        if reply.bodyDelay > .zero { try await Task.sleep(for: reply.bodyDelay) }
        try await outbound.write(.body(.byteBuffer(bytes)))
        if let declared = reply.declaredLength, declared > bytes.readableBytes { return .close }
        try await outbound.write(.end(nil))
        lock.withLock { sent += bytes.readableBytes }
        return .keepReading
    }

    private static func request(_ head: HTTPRequestHead, _ body: ByteBuffer) -> Request {
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        var form = parts.count > 1 ? decodeForm(parts[1]) : [:]
        form.merge(decodeForm(String(buffer: body))) { $1 }
        return Request(
            method: head.method.rawValue, path: parts.first ?? "", headers: head.headers, form: form,
            arrived: .now)
    }

    private static func decodeForm(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return form
    }
}
