import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTP/1.1 server on a free port of 127.0.0.1 for tests (optionally HTTPS), on which
/// ``FakePrometheus`` and the integration tests' fault proxy are built.
///
/// Each complete request goes to the handler with the connection's response writer; the handler
/// writes the answer (or nothing) and says whether to keep reading the connection. Stop the server
/// with ``stop()``.
public final class LocalHTTPServer: @unchecked Sendable {
    /// One request as it arrived: the head and the whole body.
    public struct Request: Sendable {
        public let head: HTTPRequestHead
        public let body: ByteBuffer
    }

    public typealias Outbound = NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    /// What to do with the connection after a request was handled.
    public enum Next: Sendable {
        /// Read the next request.
        case keepReading
        /// Close the connection (after a hang-up or a body cut short).
        case close
    }

    public typealias Handler = @Sendable (Request, Outbound) async throws -> Next

    public let port: Int

    private let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    private var task: Task<Void, Never>?

    /// Starts listening.
    /// - Parameter tls: serve HTTPS with this context (plain HTTP without).
    public init(tls: NIOSSLContext? = nil, handler: @escaping Handler) async throws {
        server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
        self.port = port
        let server = self.server
        task = Task {
            try? await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await Self.serve(connection, handler) }
                    }
                }
            }
        }
    }

    /// Closes the listening socket and every open connection.
    public func stop() async {
        task?.cancel()
        try? await server.channel.close()
    }

    /// Writes a whole answer: the head (with `Content-Length`, or `declaredLength` when given), the
    /// body and the end.
    public static func respond(
        _ outbound: Outbound, to head: HTTPRequestHead, status: Int, headers: HTTPHeaders,
        body: ByteBuffer
    ) async throws {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        try await outbound.write(
            .head(
                HTTPResponseHead(
                    version: head.version, status: .init(statusCode: status),
                    headers: headers)))
        try await outbound.write(.body(.byteBuffer(body)))
        try await outbound.write(.end(nil))
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        _ handler: Handler
    ) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body.clear()
                case .body(var chunk):
                    body.writeBuffer(&chunk)
                case .end:
                    guard let head else { continue }
                    if try await handler(Request(head: head, body: body), outbound) == .close { return }
                }
            }
        }
    }
}
