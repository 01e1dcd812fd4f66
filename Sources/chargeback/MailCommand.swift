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
            let settings = try config.requiredMail(path: configOption.config)
            let directory = URL(fileURLWithPath: reports)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue
            else {
                throw InputError(file: nil, "--reports \(reports) is not a folder; pass report's --output folder")
            }
            if dryRun {
                let (items, _) = try MailDelivery.plan(directory: directory, resend: resend)
                print(MailDelivery.dryRunText(items, from: settings.from), terminator: "")
                return
            }
            let lock = try OutputLock(directory: directory, wait: waitLock)
            defer { withExtendedLifetime(lock) {} }
            try await Self.deliver(settings, directory: directory, resend: resend, logger: logger, quiet: logging.quiet)
        }
    }

    /// Sends what is left, prints the summary, and exits 75 when some recipient is not known to
    /// have the mail.
    static func deliver(_ settings: MailSettings, directory: URL, resend: Bool, logger: Logger, quiet: Bool)
        async throws
    {
        let outcome = try await MailDelivery(settings: settings, logger: logger).run(
            directory: directory, resend: resend)
        try report(outcome, via: settings.smtp.displayURL, quiet: quiet)
    }

    /// Prints a delivery's summary (unless quiet and all went well) and exits 75 when some
    /// recipient is not known to have the mail.
    static func report(_ outcome: MailDelivery.Outcome, via url: String, quiet: Bool) throws {
        if !quiet || !outcome.succeeded { print(outcome.summary(via: url), terminator: "") }
        guard outcome.succeeded else {
            ErrorReporting.printError(outcome.problems(via: url))
            throw ExitCode(ExitStatus.undelivered)
        }
    }
}
