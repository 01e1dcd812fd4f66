import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// What was sent from a reports folder, to whom, and what the server said: `mail-ledger.json`.
///
/// One entry per message and recipient and attempt that ended (accepted, failed or unknown). A
/// message is sent again to a recipient only when no entry says the server accepted it for them
/// and the last one is not `unknown` (sent in full, no reply: maybe delivered), or with `--resend`. The file is rewritten whole after each accepted message, through a temporary
/// file that is synced and renamed over the old one, so a run killed at any moment leaves
/// either the previous ledger or the new one, never half of one.
///
/// The window that remains: the server accepted a message and the process died before the
/// rename. A re-run sends that message again, with the same Message-ID.
public struct DeliveryLedger: Sendable {
    public static let fileName = "mail-ledger.json"

    /// One recipient's outcome for one message.
    public struct Entry: Codable, Sendable, Equatable {
        /// The mail file under the reports folder.
        public var message: String
        public var messageID: String
        public var sha256: String
        public var recipient: String
        /// `accepted`, `failed`, or `unknown` (sent in full without a reply: maybe delivered).
        public var status: String
        /// RFC 3339, UTC.
        public var at: String
        /// The server's last reply (or the connection error) for this recipient.
        public var reply: String
        public var attempts: Int

        enum CodingKeys: String, CodingKey {
            case message
            case messageID = "message_id"
            case sha256, recipient, status, at, reply, attempts
        }
    }

    private struct File: Codable {
        var version: Int
        var deliveries: [Entry]
    }

    public let url: URL
    public private(set) var entries: [Entry]

    /// Reads the ledger of `directory` (empty when there is none yet).
    /// - Throws: ``InputError`` when the file exists but is not a ledger.
    public init(directory: URL) throws {
        url = directory.appendingPathComponent(Self.fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            entries = []
            return
        }
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 else {
            throw InputError(
                file: url.path,
                "not a delivery ledger; it records what was mailed, so fix or move it "
                    + "aside only knowing that a re-run sends whatever it does not list as accepted")
        }
        entries = file.deliveries
    }

    /// The entry saying `recipient` has `message`, if any.
    public func accepted(_ message: String, for recipient: String) -> Entry? {
        entries.last {
            $0.message == message && $0.recipient.lowercased() == recipient.lowercased() && $0.status == "accepted"
        }
    }

    /// The entry saying `recipient` may have `message` (the last one, with no acceptance), if any.
    public func unknown(_ message: String, for recipient: String) -> Entry? {
        guard accepted(message, for: recipient) == nil else { return nil }
        let last = entries.last { $0.message == message && $0.recipient.lowercased() == recipient.lowercased() }
        return last?.status == "unknown" ? last : nil
    }

    /// Adds entries and writes the ledger atomically.
    /// - Throws: ``OutputError`` when it cannot be written.
    public mutating func record(_ new: [Entry]) throws {
        entries += new
        try save()
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(File(version: 1, deliveries: entries)) + Data("\n".utf8)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(Self.fileName).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure("create", temporary) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw Self.failure("write", url)
        }
        // The rename itself is durable once the folder is synced.
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    private static func failure(_ verb: String, _ url: URL) -> OutputError {
        OutputError(message: "cannot \(verb) the delivery ledger \(url.path): \(String(cString: strerror(errno)))")
    }
}
