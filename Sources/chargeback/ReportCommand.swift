import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback report`: the main job.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the chargeback reports for a period.",
        discussion: """
        Reads the token counters from Prometheus, counts tokens exactly, prices and allocates them, \
        and writes chargeback-<period>.md, -usage.csv, -chargeback.csv, -teams.csv, .xlsx (and \
        -focus.csv with --format focus) and manifest.json into --output. With --split-by team, each \
        team also gets teams/<team>/ with its own workbook, Markdown and a mail (.eml) for \
        `sendmail -t`. Files are written beside their targets and moved into place \
        only when the whole run succeeded, so a failed run leaves the previous reports untouched.

        Examples:
          chargeback report --config chargeback.yaml --period 2026-10
          chargeback report --config chargeback.yaml --period last-month --output /srv/reports --quiet
          chargeback report --config chargeback.yaml --from 2026-10-01 --to 2026-10-15 --format csv
          chargeback report --config chargeback.yaml --period 2026-10 --timezone Europe/Berlin --granularity hour
          chargeback report --config chargeback.yaml --period last-month --format markdown,csv,xlsx,focus --split-by team
          for mail in teams/*/*.eml; do sendmail -t < "$mail"; done
        """
    )

    @OptionGroup var configOption: ConfigOption

    @Option(help: ArgumentHelp(
        "The period: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.",
        discussion: "Example: --period 2026-10. Boundaries are local midnights in the report time zone.",
        valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp("Start of a custom range (inclusive): a date or an RFC 3339 time. Needs --to.",
                               discussion: "Example: --from 2026-10-01 or --from 2026-10-01T00:00:00Z", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of a custom range (exclusive): a date or an RFC 3339 time. Needs --from.",
                               discussion: "Example: --to 2026-11-01", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("IANA time zone for day and month boundaries (default: the config's, else UTC).",
                               discussion: "Example: --timezone Europe/Berlin", valueName: "zone"))
    var timezone: String?

    @Option(help: ArgumentHelp("Comma-separated formats to write: markdown, csv, xlsx, focus (FinOps FOCUS 1.2 CSV).",
                               discussion: "Example: --format markdown,csv,focus", valueName: "list"))
    var format: String = "markdown,csv,xlsx"

    @Option(name: .customLong("split-by"), help: ArgumentHelp(
        "Also write a pack per team: teams/<team>/ with the team's workbook, Markdown and .eml for its owner.",
        discussion: "Example: --split-by team", valueName: "team"))
    var splitBy: SplitBy?

    @Option(help: ArgumentHelp("Rows of the usage CSV: one per day or per hour.", valueName: "day|hour"))
    var granularity: Granularity = .day

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the reports (created if missing).",
                                                    discussion: "Example: --output /srv/reports", valueName: "dir"))
    var output: String = "."

    @Option(help: ArgumentHelp("A Mustache template to use instead of the built-in Markdown report.",
                               discussion: "Example: --template templates/report.md.mustache", valueName: "file"))
    var template: String?

    @Option(name: .customLong("prometheus-url"), help: ArgumentHelp(
        "Override prometheus.url from the config.", discussion: "Example: --prometheus-url http://127.0.0.1:9090",
        valueName: "url"))
    var prometheusURL: String?

    @Flag(name: .customLong("wait-lock"), help: "If another run is writing into --output, wait for it instead of exiting with 1.")
    var waitLock = false

    @Flag(name: .customLong("allow-empty"),
          help: "Write the reports even when the token counter has no series at all (otherwise exit 1).")
    var allowEmpty = false

    @Flag(name: .customLong("fail-on-breach"), help: "Exit with 3 when a threshold or budget was breached (the report is still written).")
    var failOnBreach = false

    @OptionGroup var logging: LoggingOptions

    enum Granularity: String, ExpressibleByArgument, CaseIterable {
        case day, hour
    }

    enum SplitBy: String, ExpressibleByArgument, CaseIterable {
        case team
    }

    func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("use either --period or --from/--to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if period == nil && from == nil { throw ValidationError("say which period: --period 2026-10, or --from and --to") }
        _ = try formats()
    }

    func formats() throws -> Set<ReportFormat> {
        var formats = Set<ReportFormat>()
        for name in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let value = ReportFormat(rawValue: name) else {
                throw ValidationError("unknown format '\(name)'; choose from markdown, csv, xlsx, focus")
            }
            formats.insert(value)
        }
        guard !formats.isEmpty else { throw ValidationError("--format needs at least one format") }
        return formats
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            var config = try ConfigLoader.load(path: configOption.config)
            if let prometheusURL {
                config.prometheus.url = try PrometheusURLRules.parse(prometheusURL)
            }
            let zone = try timezone.map(Self.zone) ?? config.timeZone
            let now = Date()
            let reportPeriod = try period.map { try Period.parse($0, in: zone, now: now) }
                ?? Period.range(from: from!, to: to!, in: zone)
            if reportPeriod.start >= now {
                throw InputError(file: nil, "the period \(reportPeriod.label) has not started yet")
            }
            if reportPeriod.isPartial(now: now) && period != "this-month" {
                throw InputError(file: nil, "the period \(reportPeriod.label) ends in the future "
                                 + "(\(DateText.rfc3339(reportPeriod.end, in: zone))); use --period this-month for a "
                                 + "partial report of the current month")
            }
            let templateSource = try template.map { path -> (path: String, text: String) in
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw InputError(file: path, "cannot read the template file")
                }
                return (path, text)
            }
            var request = ReportRequest(
                period: reportPeriod, formats: try formats(), hourly: granularity == .hour,
                outputDirectory: URL(fileURLWithPath: output), template: templateSource, splitByTeam: splitBy == .team,
                commandLine: ["chargeback"] + Array(CommandLine.arguments.dropFirst()), now: now)
            request.allowEmpty = allowEmpty
            let lock = try OutputLock(directory: request.outputDirectory, wait: waitLock)
            defer { withExtendedLifetime(lock) {} }
            let progress = ProgressLine.make(enabled: !logging.quiet && Terminal.stderrIsTerminal)
            let outcome = try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
                defer { progress?.finish() }
                return try await ReportPipeline(config: config, client: client, logger: logger, progress: progress?.update)
                    .run(request)
            }
            if !logging.quiet {
                print(Summary.text(outcome), terminator: "")
            }
            if failOnBreach && !outcome.report.breaches.isEmpty {
                throw ExitCode(ErrorReporting.breach)
            }
        }
    }

    static func zone(_ name: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: name) else {
            throw InputError(file: nil, "--timezone '\(name)' is not an IANA time zone (e.g. UTC, Europe/Berlin)")
        }
        return zone
    }
}
