import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to an SMTP server: write a line, read a reply, switch to TLS.
///
/// Every read and write has its own timeout; a timeout or a dropped connection fails with
/// ``SMTPError/connection(_:)``, a TLS or certificate failure with ``SMTPError/tls(_:)``.
final class SMTPConnection: Sendable {
    private let channel: Channel
    private let handler: SMTPReplyHandler
    /// The local IP address of the connection, for an EHLO address literal.
    let localAddress: String?

    private init(channel: Channel, handler: SMTPReplyHandler) {
        self.channel = channel
        self.handler = handler
        localAddress = channel.localAddress?.ipAddress
    }

    /// Connects, with TLS from the first byte when `tls` is given (`smtps://`).
    static func open(host: String, port: Int, tls: NIOSSLContext?, connectTimeout seconds: Double) async throws
        -> SMTPConnection
    {
        let serverName = Self.serverName(host)
        // Kept here, not looked up in the pipeline: a failed TLS handshake may already have
        // emptied the pipeline when `connect` returns.
        let handlers = ReplyHandlers()
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(Self.amount(seconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    let handler = SMTPReplyHandler(host: host)
                    handlers.add(handler, for: channel)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw SMTPError.connection("cannot connect to \(host):\(port) (\(Self.describe(error)))")
        }
        let handler = handlers.handler(for: channel)!
        return SMTPConnection(channel: channel, handler: handler)
    }

    /// The next reply from the server, within `seconds`.
    func reply(within seconds: Double) async throws -> SMTPReply {
        let handler = handler
        let loop = channel.eventLoop
        return try await loop.flatSubmit { handler.next(timeout: Self.amount(seconds), on: loop) }.get()
    }

    /// Sends one command line (CRLF added) and reads its reply within `seconds`.
    func command(_ line: String, within seconds: Double) async throws -> SMTPReply {
        try await write(Array((line + "\r\n").utf8), within: seconds)
        return try await reply(within: seconds)
    }

    /// Sends bytes as they are; fails (closing the connection) when the server has not taken
    /// them within `seconds`.
    func write(_ bytes: [UInt8], within seconds: Double) async throws {
        let handler = handler
        let timer = channel.eventLoop.scheduleTask(in: Self.amount(seconds)) {
            handler.abort(
                .connection("the server did not take the data within \(Int(seconds.rounded(.up)))s (timed out)"))
        }
        defer { timer.cancel() }
        do {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
        } catch {
            // A failed TLS handshake fails the write too; the handler knows the real cause.
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

    /// The certificate the server presented over TLS, if any.
    func peerCertificate() async -> NIOSSLCertificate? {
        (try? await channel.nioSSL_peerCertificate().get()) ?? nil
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

    private static func amount(_ seconds: Double) -> TimeAmount { .milliseconds(Int64(seconds * 1000)) }

    private static func describe(_ error: Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return "timed out" }
        return String(describing: error)
    }
}

/// The reply handler of each channel a bootstrap made (one per address it tried).
private final class ReplyHandlers: @unchecked Sendable {
    private let lock = NSLock()
    private var byChannel: [ObjectIdentifier: SMTPReplyHandler] = [:]

    func add(_ handler: SMTPReplyHandler, for channel: Channel) {
        lock.withLock { byChannel[ObjectIdentifier(channel)] = handler }
    }

    func handler(for channel: Channel) -> SMTPReplyHandler? {
        lock.withLock { byChannel[ObjectIdentifier(channel)] }
    }
}
