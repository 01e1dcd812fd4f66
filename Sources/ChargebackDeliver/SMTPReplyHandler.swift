import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import NIOCore

/// The inbound end of an SMTP connection: splits the server's bytes into ``SMTPReply`` values
/// and hands each to the next caller of ``next(timeout:)``, in order.
///
/// All state is touched on the channel's event loop only (callers go through
/// `eventLoop.flatSubmit`), which is what makes the `@unchecked Sendable` sound.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var bytes: [UInt8] = []
    private var lines: [String] = []
    private var replies = CircularBuffer<SMTPReply>()
    private var waiters = CircularBuffer<(id: Int, promise: EventLoopPromise<SMTPReply>)>()
    private var nextID = 0
    private var failure: SMTPError?
    private var context: ChannelHandlerContext?
    /// The server's host as the URL names it, for TLS messages.
    private let host: String

    init(host: String) {
        self.host = host
    }

    /// Longest reply line accepted (RFC 5321 allows 512); a server sending more is broken.
    static let maxLine = 4096

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Whether bytes or replies arrived that nobody asked for yet. After the reply to STARTTLS
    /// there must be none: anything already sent would have come before TLS, unprotected.
    var hasUnreadInput: Bool { !bytes.isEmpty || !replies.isEmpty || !lines.isEmpty }

    /// The error that ended the connection, if one did.
    var recordedFailure: SMTPError? { failure }

    /// Ends the connection with `error` (on the event loop).
    func abort(_ error: SMTPError) { fail(error, context: context) }

    /// The next reply; fails with ``SMTPError/connection(_:)`` after `timeout` (closing the connection).
    func next(timeout: TimeAmount, on loop: EventLoop) -> EventLoopFuture<SMTPReply> {
        if !replies.isEmpty { return loop.makeSucceededFuture(replies.removeFirst()) }
        if let failure { return loop.makeFailedFuture(failure) }
        let promise = loop.makePromise(of: SMTPReply.self)
        let id = nextID
        nextID += 1
        waiters.append((id, promise))
        let timer = loop.scheduleTask(in: timeout) { [self] in
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
            waiters.remove(at: index)
            let seconds = (timeout.nanoseconds + 999_999_999) / 1_000_000_000
            promise.fail(SMTPError.connection("no reply within \(seconds)s (timed out)"))
            context?.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes.append(contentsOf: buffer.readableBytesView)
        while let newline = bytes.firstIndex(of: 0x0A) {
            var line = bytes[..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            bytes.removeSubrange(...newline)
            guard let parsed = SMTPReply.parseLine(String(decoding: line, as: UTF8.self)),
                lines.isEmpty || parsed.code == currentCode
            else {
                fail(.refused("the server sent something that is not an SMTP reply"), context: context)
                return
            }
            currentCode = parsed.code
            lines.append(parsed.text)
            if !parsed.more {
                deliver(SMTPReply(code: parsed.code, lines: lines))
                lines = []
            }
        }
        if bytes.count > Self.maxLine || lines.count > 100 {
            fail(.refused("the server's reply is too long"), context: context)
        }
    }

    private var currentCode = 0

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connection("the server closed the connection"), context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let described = String(describing: error)
        let isTLS = String(reflecting: type(of: error)).contains("SSL") || described.contains("CERTIFICATE")
        fail(
            isTLS ? .tls(SMTPTLSFailure.explain(error, host: host)) : .connection("connection error: \(described)"),
            context: context)
    }

    private func deliver(_ reply: SMTPReply) {
        if waiters.isEmpty {
            replies.append(reply)
        } else {
            waiters.removeFirst().promise.succeed(reply)
        }
    }

    private func fail(_ error: SMTPError, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        while !waiters.isEmpty { waiters.removeFirst().promise.fail(failure!) }
        context?.close(promise: nil)
    }
}
