import ArgumentParser
import ChargebackCore
import Foundation
import Logging

/// `chargeback mail`: the team packs of a reports folder, delivered over SMTP once each.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Send each team its pack from a reports folder over SMTP, exactly once.",
        discussion: """
            Sends the team mails that `report --split-by team` wrote into --reports (the ones its \
            manifest.json lists) over the SMTP server of the config's mail: block, to each team's \
            owner, cc and bcc. Every accepted message is recorded in mail-ledger.json in that folder, \
            so running again sends only what was not accepted yet; --resend sends everything again, \
            with new Message-IDs that reference the first. 4xx replies and connection errors are \
            retried with backoff (mail.smtp.retries), 5xx are not. A message sent in full whose end \
            got no reply (mail.smtp.timeout, else RFC 5321's waits: 10 minutes after the message) \
            may have been delivered: it is recorded as unknown and sent again only with --resend.

            Examples:
              chargeback mail --config chargeback.yaml --reports /srv/reports --dry-run
              chargeback mail --config chargeback.yaml --reports /srv/reports
              chargeback report --config chargeback.yaml --period last-month --output /srv/reports --split-by team --mail

            Exit codes: 0 every recipient has the mail; 75 some were not accepted or may not have \
            been (mail-ledger.json says which and why; run again to retry them, or check and \
            --resend the unknown ones); 1 the run failed before sending (the folder locked); 64 bad \
            configuration or a reports folder without team mails.
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Option(
        help: ArgumentHelp(
            "The reports folder (report's --output) holding the team packs.",
            discussion: "Example: --reports /srv/reports", valueName: "dir"))
    var reports: String

    @Flag(
        name: .customLong("dry-run"),
        help: "Print what would be sent to whom (subject, recipients, attachments); send nothing.")
    var dryRun = false

    @Flag(help: "Send again even to recipients the ledger says already have the mail.")
    var resend = false

    @Flag(
        name: .customLong("wait-lock"),
        help: "If another run is using --reports, wait for it instead of exiting with 1.")
    var waitLock = false

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            let settings = try Self.settings(config, path: configOption.config)
            let directory = URL(fileURLWithPath: reports)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue
            else {
                throw InputError(file: nil, "--reports \(reports) is not a folder; pass report's --output folder")
            }
            if dryRun {
                let (items, _) = try MailDelivery.plan(directory: directory, resend: resend)
                print(Self.dryRunText(items, from: settings.from), terminator: "")
                return
            }
            let lock = try OutputLock(directory: directory, wait: waitLock)
            defer { withExtendedLifetime(lock) {} }
            try await Self.deliver(settings, directory: directory, resend: resend, logger: logger, quiet: logging.quiet)
        }
    }

    /// The config's `mail:` block.
    /// - Throws: ``InputError`` naming the config file when there is none.
    static func settings(_ config: ChargebackConfig, path: String) throws -> MailSettings {
        guard let mail = config.mail else {
            throw InputError(
                file: path,
                "there is no mail: block; add one with from and smtp.url "
                    + "(see chargeback init) to send the team mails")
        }
        return mail
    }

    /// Sends what is left, prints the summary, and exits 75 when some recipient is not known to
    /// have the mail.
    static func deliver(_ settings: MailSettings, directory: URL, resend: Bool, logger: Logger, quiet: Bool)
        async throws
    {
        let outcome = try await MailDelivery(settings: settings, logger: logger).run(
            directory: directory, resend: resend)
        if !quiet || !outcome.succeeded { print(summary(outcome, via: settings.smtp.displayURL), terminator: "") }
        guard outcome.succeeded else {
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
                        + "to its end); look for Message-ID \(ids) in the log of \(settings.smtp.displayURL) "
                        + "or ask the recipients; only if it never arrived, run chargeback mail --resend "
                        + "(which sends every message again)")
            }
            ErrorReporting.printError(problems.joined(separator: "\n"))
            throw ExitCode(ExitStatus.undelivered)
        }
    }

    static func summary(_ outcome: MailDelivery.Outcome, via url: String) -> String {
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

    static func dryRunText(_ items: [MailDelivery.Item], from: Mailbox) -> String {
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
