import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import TestSupport

/// An HTTP proxy on 127.0.0.1 in front of a real Prometheus that injects faults on cue.
///
/// Each request the proxy receives is numbered (0-based) and handed with its number to the
/// ``Plan``, which picks an ``Action``: pass it through, answer it itself, never answer, or pass it
/// through and spoil the answer. With a TLS context it serves HTTPS (and can demand a client
/// certificate). Stop it with ``stop()``.
final class FaultProxy: @unchecked Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        let method: HTTPMethod
        /// Path and query string, e.g. `/api/v1/query`.
        let uri: String
        let headers: HTTPHeaders
        let body: ByteBuffer

        /// Path and body: the same query asked again has the same key.
        var key: String { uri + "\n" + String(buffer: body) }
    }

    /// What to do with one request.
    enum Action: Sendable {
        /// Pass it to Prometheus and its answer back.
        case forward
        /// Answer it without asking Prometheus.
        case answer(status: Int, body: String, headers: [(String, String)] = [])
        /// Never answer; the connection stays open until the client gives up and closes it.
        case stall
        /// Pass it on, then send the head (with the full `Content-Length`) and only the first half
        /// of Prometheus's body, and close the connection.
        case truncate
        /// Pass it on and send back `rewrite(body)` instead of Prometheus's body.
        case rewrite(@Sendable (String) -> String)

        var name: String {
            switch self {
            case .forward: "forward"
            case .answer(let status, _, _): "answer \(status)"
            case .stall: "stall"
            case .truncate: "truncate"
            case .rewrite: "rewrite"
            }
        }
    }

    typealias Plan = @Sendable (Request, Int) -> Action

    var port: Int { server.port }
    let scheme: String
    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    private let upstream: String
    private let plan: Plan
    private let client = HTTPClient(eventLoopGroupProvider: .singleton)
    private var server: LocalHTTPServer!
    private let lock = NSLock()
    private var log: [Taken] = []

    /// Starts listening on a free port of 127.0.0.1.
    /// - Parameters:
    ///   - upstream: the Prometheus base URL, e.g. `http://127.0.0.1:9090`.
    ///   - tls: serve HTTPS with this context (plain HTTP without).
    init(upstream: String, tls: NIOSSLContext? = nil, plan: @escaping Plan) async throws {
        self.upstream = upstream
        self.plan = plan
        scheme = tls == nil ? "http" : "https"
        server = try await LocalHTTPServer(tls: tls) { [weak self] request, outbound in
            guard let self else { return .close }
            return try await self.answer(request, outbound)
        }
    }

    /// Closes the listening socket and every open connection.
    func stop() async {
        await server.stop()
        try? await client.shutdown()
    }

    /// What the proxy did with one request.
    struct Taken: Sendable {
        /// ``Action/name``, e.g. `answer 500` or `forward`.
        let action: String
        /// ``Request/key``.
        let key: String
        let arrived: ContinuousClock.Instant
    }

    /// Every request so far, in arrival order, with the action taken.
    var taken: [Taken] { lock.withLock { log } }

    /// The action names so far, in arrival order (e.g. `["answer 500", "forward"]`).
    var actions: [String] { taken.map(\.action) }

    private func number(_ request: Request) -> Action {
        let arrived = ContinuousClock.now
        let index = lock.withLock {
            log.append(Taken(action: "?", key: request.key, arrived: arrived))
            return log.count - 1
        }
        let action = plan(request, index)
        lock.withLock { log[index] = Taken(action: action.name, key: request.key, arrived: arrived) }
        return action
    }

    private func answer(
        _ received: LocalHTTPServer.Request,
        _ outbound: LocalHTTPServer.Outbound
    ) async throws -> LocalHTTPServer.Next {
        let head = received.head
        let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: received.body)
        let action = number(request)
        let reply: (status: Int, headers: HTTPHeaders, body: ByteBuffer)
        switch action {
        case .stall:
            return .keepReading
        case .answer(let status, let text, let headers):
            reply = (status, HTTPHeaders([("Content-Type", "application/json")] + headers), ByteBuffer(string: text))
        case .forward, .truncate, .rewrite:
            guard let answer = try? await forward(request) else { return .close }
            if case .rewrite(let change) = action {
                reply = (answer.status, answer.headers, ByteBuffer(string: change(String(buffer: answer.body))))
            } else {
                reply = answer
            }
        }
        if case .truncate = action {
            var headers = reply.headers
            headers.replaceOrAdd(name: "Content-Length", value: String(reply.body.readableBytes))
            try await outbound.write(
                .head(
                    HTTPResponseHead(
                        version: head.version, status: .init(statusCode: reply.status),
                        headers: headers)))
            try await outbound.write(
                .body(
                    .byteBuffer(
                        reply.body.getSlice(
                            at: reply.body.readerIndex,
                            length: reply.body.readableBytes / 2)!)))
            return .close
        }
        try await LocalHTTPServer.respond(
            outbound, to: head, status: reply.status, headers: reply.headers,
            body: reply.body)
        return .keepReading
    }

    /// Asks Prometheus; returns its status, the headers worth passing back, and the whole body.
    private func forward(_ request: Request) async throws -> (status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        var outgoing = HTTPClientRequest(url: upstream + request.uri)
        outgoing.method = request.method
        for (name, value) in request.headers
        where !["host", "content-length", "connection", "accept-encoding"].contains(name.lowercased()) {
            outgoing.headers.add(name: name, value: value)
        }
        outgoing.body = .bytes(request.body)
        let response = try await client.execute(outgoing, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 28)
        var headers = HTTPHeaders()
        for (name, value) in response.headers
        where !["content-length", "transfer-encoding", "connection", "content-encoding"].contains(name.lowercased()) {
            headers.add(name: name, value: value)
        }
        return (Int(response.status.code), headers, body)
    }
}

/// Remembers which requests were seen, so a plan can fail only the first attempt of each query.
final class SeenRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: Set<String> = []

    /// True the first time a request with this ``FaultProxy/Request/key`` arrives.
    func isFirst(_ request: FaultProxy.Request) -> Bool {
        lock.withLock { keys.insert(request.key).inserted }
    }
}
