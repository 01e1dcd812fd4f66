import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

extension MailDelivery.Outcome {
    /// What was sent to whom, what failed and what may have been delivered, and the ledger.
    public func summary(via url: String) -> String {
        let outcome = self
        var lines: [String] = []
        let sent = Dictionary(grouping: outcome.accepted, by: \.message)
        for item in outcome.items {
            if let entries = sent[item.message.file] {
                lines.append("  sent \(item.message.file) to \(entries.map(\.recipient).joined(separator: ", "))")
            }
        }
        for failure in outcome.failed {
            lines.append("  FAILED \(failure.message) to \(failure.recipient): \(failure.reply)")
        }
        for entry in outcome.unknown {
            lines.append("  UNKNOWN \(entry.message) to \(entry.recipient): \(entry.reply)")
        }
        for entry in outcome.held {
            lines.append(
                "  NOT SENT AGAIN \(entry.message) to \(entry.recipient): sent in full at \(entry.at) as "
                    + "\(entry.messageID) without a reply to its end; maybe delivered")
        }
        let skipped = outcome.items.reduce(0) { $0 + $1.done.count }
        let unknown = outcome.unknown.count + outcome.held.count
        lines.insert(
            "mail via \(url): \(outcome.accepted.count) recipient(s) sent, \(skipped) already had it, "
                + "\(outcome.failed.count) failed" + (unknown > 0 ? ", \(unknown) unknown" : ""), at: 0)
        lines.append("  ledger: \(outcome.ledger.path)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the run must exit 75, in words: who did not get their mail, and who may have it.
    public func problems(via url: String) -> String {
        let outcome = self
        var problems: [String] = []
        if !outcome.failed.isEmpty {
            problems.append(
                "\(outcome.failed.count) recipient(s) did not get their mail; "
                    + "\(outcome.ledger.path) says why; run chargeback mail again to retry them")
        }
        let unknown = outcome.unknown + outcome.held
        if !unknown.isEmpty {
            let ids = Set(unknown.map(\.messageID)).sorted().joined(separator: " ")
            problems.append(
                "\(unknown.count) recipient(s) may or may not have their mail (sent in full, no reply "
                    + "to its end); look for Message-ID \(ids) in the log of \(url) "
                    + "or ask the recipients; only if it never arrived, run chargeback mail --resend "
                    + "(which sends every message again)")
        }
        return problems.joined(separator: "\n")
    }
}

extension MailDelivery {
    /// What `--dry-run` prints: each message, its recipients and attachments; nothing is sent.
    public static func dryRunText(_ items: [Item], from: Mailbox) -> String {
        var lines: [String] = []
        for item in items {
            let message = item.message
            lines.append(
                !item.pending.isEmpty
                    ? "would send \(message.file)"
                    : item.held.isEmpty ? "already sent \(message.file)" : "held back \(message.file) (maybe delivered)"
            )
            lines.append("  subject: \(message.subject)")
            lines.append("  from: " + (from.name.map { "\($0) <\(from.address)>" } ?? from.address))
            for (label, list) in [("to", message.to), ("cc", message.cc), ("bcc", message.bcc)] where !list.isEmpty {
                lines.append(
                    "  \(label): "
                        + list.map { box in
                            let held = item.held.contains { $0.recipient == box.address }
                            let mark =
                                item.pending.contains(box.address)
                                ? "" : held ? " (maybe delivered: --resend)" : " (already sent)"
                            return box.address + mark
                        }.joined(separator: ", "))
            }
            lines.append(
                "  attachments: "
                    + message.attachments.map { "\($0.name) (\($0.bytes) bytes)" }
                    .joined(separator: ", "))
        }
        let left = items.reduce(0) { $0 + $1.pending.count }
        lines.append(
            "\(items.filter { !$0.pending.isEmpty }.count) message(s) to \(left) recipient(s) would be sent; "
                + "nothing was sent (--dry-run)")
        return lines.joined(separator: "\n") + "\n"
    }
}
