import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A scriptable HTTP server on 127.0.0.1 that plays a (misbehaving) Prometheus in tests.
///
/// Every request is recorded (path, headers, form) for the test to inspect; the script decides
/// each answer from the request and its 0-based index. Stop it with ``stop()``.
final class FakePrometheus: @unchecked Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        let method: String
        /// The path without a query string, e.g. `/prometheus/api/v1/query`.
        let path: String
        let headers: HTTPHeaders
        /// The decoded form body (and URL query), last value wins.
        let form: [String: String]
        let arrived: ContinuousClock.Instant

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// How to answer one request.
    struct Reply: Sendable {
        var status = 200
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body = ""
        /// Wait before sending anything.
        var delay: Duration = .zero
        /// Wait between the head and the body.
        var bodyDelay: Duration = .zero
        /// A `Content-Length` larger than the body: the connection closes after the body, cut short.
        var declaredLength: Int?
        /// Close the connection without answering.
        var hangUp = false

        static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }
    }

    typealias Script = @Sendable (Request, Int) -> Reply

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    private let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private let script: Script
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var sent = 0
    private var task: Task<Void, Never>?

    /// Starts listening on a free port.
    init(script: @escaping Script) async throws {
        self.script = script
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        self.port = port
        let server = self.server
        task = Task { [weak self] in
            try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await self?.serve(connection) }
                    }
                }
            }
        }
    }

    /// Closes the listening socket and every open connection.
    func stop() async {
        task?.cancel()
        try? await server.channel.close()
    }

    /// The requests so far, in arrival order.
    var requests: [Request] { lock.withLock { recorded } }

    /// Body bytes of complete answers sent so far.
    var bytesSent: Int { lock.withLock { sent } }

    private func record(_ request: Request) -> Int {
        lock.withLock {
            recorded.append(request)
            return recorded.count - 1
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case let .head(received):
                    head = received
                    body.clear()
                case var .body(chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { continue }
                    let request = Self.request(head, body)
                    let reply = script(request, record(request))
                    if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
                    if reply.hangUp { return }
                    let bytes = ByteBuffer(string: reply.body)
                    var headers = HTTPHeaders(reply.headers)
                    headers.replaceOrAdd(name: "Content-Length", value: String(reply.declaredLength ?? bytes.readableBytes))
                    try await outbound.write(.head(HTTPResponseHead(version: head.version,
                                                                    status: .init(statusCode: reply.status),
                                                                    headers: headers)))
                    if reply.bodyDelay > .zero { try await Task.sleep(for: reply.bodyDelay) }
                    try await outbound.write(.body(.byteBuffer(bytes)))
                    if let declared = reply.declaredLength, declared > bytes.readableBytes { return }
                    try await outbound.write(.end(nil))
                    lock.withLock { sent += bytes.readableBytes }
                }
            }
        }
    }

    private static func request(_ head: HTTPRequestHead, _ body: ByteBuffer) -> Request {
        let parts = head.uri.split(separator: "?", maxSplits: 1).map(String.init)
        var form = parts.count > 1 ? decodeForm(parts[1]) : [:]
        form.merge(decodeForm(String(buffer: body))) { $1 }
        return Request(method: head.method.rawValue, path: parts.first ?? "", headers: head.headers, form: form,
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
