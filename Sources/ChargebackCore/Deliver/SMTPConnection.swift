import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to an SMTP server: write a line, read a reply, switch to TLS.
///
/// Every read has the configured timeout; a timeout or a dropped connection fails with
/// ``SMTPError/connection(_:)``, a TLS or certificate failure with ``SMTPError/tls(_:)``.
final class SMTPConnection: Sendable {
    private let channel: Channel
    private let handler: SMTPReplyHandler
    private let timeout: TimeAmount

    private init(channel: Channel, handler: SMTPReplyHandler, timeout: TimeAmount) {
        self.channel = channel
        self.handler = handler
        self.timeout = timeout
    }

    /// Connects, with TLS from the first byte when `tls` is given (`smtps://`).
    static func open(host: String, port: Int, tls: NIOSSLContext?, timeout seconds: Double) async throws
        -> SMTPConnection
    {
        let timeout = TimeAmount.milliseconds(Int64(seconds * 1000))
        let serverName = Self.serverName(host)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw SMTPError.connection("cannot connect to \(host):\(port) (\(Self.describe(error)))")
        }
        let handler = try await channel.pipeline.handler(type: SMTPReplyHandler.self).get()
        return SMTPConnection(channel: channel, handler: handler, timeout: timeout)
    }

    /// The next reply from the server.
    func reply() async throws -> SMTPReply {
        let handler = handler
        let timeout = timeout
        let loop = channel.eventLoop
        return try await loop.flatSubmit { handler.next(timeout: timeout, on: loop) }.get()
    }

    /// Sends one command line (CRLF added) and reads its reply.
    func command(_ line: String) async throws -> SMTPReply {
        try await write(Array((line + "\r\n").utf8))
        return try await reply()
    }

    /// Sends bytes as they are.
    func write(_ bytes: [UInt8]) async throws {
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
        } catch {
            // A failed TLS handshake fails the write too; the handler knows the real cause.
            let handler = handler
            if let recorded = try? await channel.eventLoop.submit({ handler.recordedFailure }).get() { throw recorded }
            throw SMTPError.connection("the connection failed while sending (\(Self.describe(error)))")
        }
    }

    /// Puts TLS under the conversation, after the server's 220 to STARTTLS.
    /// - Throws: ``SMTPError/refused(_:)`` when the server already sent more (it would have
    ///   come in clear text and could be forged), or the TLS error.
    func startTLS(_ context: NIOSSLContext, host: String) async throws {
        let handler = handler
        let serverName = Self.serverName(host)
        try await channel.eventLoop.submit { [channel] in
            guard !handler.hasUnreadInput else {
                throw SMTPError.refused("the server sent data after its reply to STARTTLS; refusing to go on")
            }
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: context, serverHostname: serverName),
                position: .first)
        }.get()
    }

    func close() async {
        try? await channel.close().get()
    }

    /// The name for SNI and certificate checks: none for an IP address (checked against the
    /// certificate's IP entries instead).
    private static func serverName(_ host: String) -> String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return host
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return "timed out" }
        return String(describing: error)
    }
}
