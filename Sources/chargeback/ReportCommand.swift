import ArgumentParser
import ChargebackCore
import ChargebackStores
import Foundation

/// `chargeback report`: the main job.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the chargeback reports for a period.",
        discussion: """
            Reads the token counters from Prometheus, counts tokens exactly, prices and allocates them, \
            and writes chargeback-<period>.md, -usage.csv, -chargeback.csv, -teams.csv, \
            -thresholds.csv, .xlsx (and -focus.csv with --format focus) and manifest.json into --output; \
            -changes.csv (the previous period), -trend.csv (--trend), -forecast.csv (a running period), \
            -by-<label>.csv (--group-by), -adjustments.csv (pricing adjustments) and \
            -reconciliation.csv (--invoice) when those apply. With --split-by team, each \
            team also gets teams/<team>/ with its own workbook, Markdown and a mail (.eml) with both \
            attached; --mail then sends those mails over the config's SMTP server, as `chargeback mail` \
            does (each recipient once, recorded in mail-ledger.json). Files are written beside their \
            targets and moved into place only when the whole run succeeded, so a failed run leaves the \
            previous reports untouched.

            Examples:
              chargeback report --config chargeback.yaml --period 2026-10
              chargeback report --config chargeback.yaml --period last-month \\
                  --output /srv/reports --quiet
              chargeback report --config chargeback.yaml --from 2026-10-01 \\
                  --to 2026-10-15 --format csv
              chargeback report --config chargeback.yaml --period 2026-10 \\
                  --as-of 2026-10-15T00:00:00Z
              chargeback report --config chargeback.yaml --period 2026-10 \\
                  --timezone Europe/Berlin --granularity hour
              chargeback report --config chargeback.yaml --period last-month \\
                  --format markdown,csv,xlsx,focus --split-by team
              chargeback report --config chargeback.yaml --period last-month \\
                  --output /srv/reports --split-by team --mail
              chargeback report --config chargeback.yaml --period 2026-10 \\
                  --invoice anthropic-2026-10.json --basis invoice

            Exit codes: 0 success; 1 the run failed and wrote nothing; 3 the report was written and \
            a threshold or budget was breached (--fail-on-breach); 75 the report was written and, \
            with --mail, some mail was not accepted or may not have been (mail-ledger.json says \
            which; `chargeback mail` again retries it); 64 a usage or input-file error.
            """
    )

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var backend: BackendOptions
    @OptionGroup var invoiceOptions: InvoiceOptions
    @OptionGroup var changeOptions: ChangeOptions

    @Flag(
        name: .customLong("wait-lock"),
        help: "If another run is writing into --output, wait for it instead of exiting with 1.")
    var waitLock = false

    @Flag(
        help:
            "With --split-by team: send each team its mail over SMTP (the config's mail: block), as `chargeback mail` does."
    )
    var mail = false

    @Flag(
        name: .customLong("allow-empty"),
        help: "Write the reports even when the token counter has no series at all (otherwise exit 1).")
    var allowEmpty = false

    @Flag(
        name: .customLong("fail-on-breach"),
        help: "Exit with 3 when a threshold or budget was breached (the report is still written).")
    var failOnBreach = false

    @Option(
        help: ArgumentHelp(
            "Where hourly usage comes from: auto (the store's hours where it has them, Prometheus for the rest), store or prometheus.",
            discussion: "Without a store: block in the config, Prometheus. Example: --source store", valueName: "source"
        ))
    var source: UsageSourceArgument = .auto

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if mail && outputOptions.splitBy != .team {
            throw ValidationError("--mail sends the team packs: add --split-by team")
        }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try changeOptions.apply(to: backend.apply(to: ConfigLoader.load(path: configOption.config)))
            let mailSettings = try mail ? config.requiredMail(path: configOption.config) : nil
            let now = try periodOptions.now(config: config)
            var request = ReportRequest(
                period: try periodOptions.resolve(config: config, now: now), formats: outputOptions.format.formats,
                hourly: outputOptions.granularity == .hour, outputDirectory: URL(fileURLWithPath: outputOptions.output),
                template: try outputOptions.templateSource(), splitByTeam: outputOptions.splitBy == .team,
                commandLine: ["chargeback"] + Array(CommandLine.arguments.dropFirst()), now: now)
            request.allowEmpty = allowEmpty
            invoiceOptions.apply(to: &request)
            changeOptions.apply(to: &request)
            let job = ReportJob(
                config: config, request: request, source: source.choice, configPath: configOption.config,
                waitLock: waitLock, mail: mailSettings)
            let progress = ProgressLine.make(enabled: !logging.quiet && Terminal.stderrIsTerminal)
            let (outcome, delivery) = try await job.run(
                logger: logger, progress: progress?.update, fetched: { progress?.finish() },
                openStore: { try await StoreOpener.openIfPresent($0) },
                openRequestLog: { try await RequestLogOpener.open($0) }
            ) { outcome in
                ErrorReporting.print(outcome.diagnostics, to: logger)
                if !logging.quiet { print(Summary.text(outcome), terminator: "") }
            }
            if let delivery, let mailSettings {
                try MailCommand.report(delivery, via: mailSettings.smtp.displayURL, quiet: logging.quiet)
            }
            if failOnBreach && !outcome.report.breaches.isEmpty {
                throw ExitCode(ExitStatus.breach)
            }
        }
    }
}

/// `--source`: where a report's hourly usage comes from.
enum UsageSourceArgument: String, ExpressibleByArgument, CaseIterable {
    case auto, store, prometheus

    var choice: UsageSourceChoice { UsageSourceChoice(rawValue: rawValue)! }
}
