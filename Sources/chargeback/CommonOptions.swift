import ArgumentParser
import ChargebackCore
import Foundation

/// `--config`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "The chargeback.yaml to read (it names the pricing and team files).",
            discussion: "Example: --config /etc/chargeback/chargeback.yaml", valueName: "file"))
    var config: String = "chargeback.yaml"
}

/// How much to say on stderr, and in which form.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing on success (errors still go to stderr).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log every query and what it fetched (queries, series, points) to stderr.")
    var verbose = false

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp(
            "Log line format on stderr: text or json (for log shippers).", valueName: "format"))
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }
}

/// `--prometheus-url`, shared by the commands that talk to Prometheus.
struct BackendOptions: ParsableArguments {
    @Option(
        name: .customLong("prometheus-url"),
        help: ArgumentHelp(
            "Override prometheus.url from the config.", discussion: "Example: --prometheus-url http://127.0.0.1:9090",
            valueName: "url"))
    var prometheusURL: String?

    /// `config` with the URL from the flag, when one was given.
    /// - Throws: ``InputError`` for a URL that is not http(s) or carries credentials.
    func apply(to config: ChargebackConfig) throws -> ChargebackConfig {
        var config = config
        if let prometheusURL {
            let url = try PrometheusURLRules.parse(prometheusURL)
            if url != config.prometheus.url && config.prometheus.configuredURL == nil {
                config.prometheus.configuredURL = config.prometheus.url
            }
            config.prometheus.url = url
        }
        return config
    }
}

/// `--from` and `--to`: a custom range `[from, to)`, for `report` and `validate --online`.
struct RangeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Start of a custom range (inclusive): a date or an RFC 3339 time. Needs --to.",
            discussion: "Example: --from 2026-10-01 or --from 2026-10-01T00:00:00Z", valueName: "time"))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "End of a custom range (exclusive): a date or an RFC 3339 time. Needs --from.",
            discussion: "Example: --to 2026-11-01", valueName: "time"))
    var to: String?
}

/// Which period to report: `--period`, or `--from` and `--to`, in `--timezone`.
struct PeriodOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The period: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.",
            discussion: "Example: --period 2026-10. Boundaries are local midnights in the report time zone.",
            valueName: "period"))
    var period: PeriodArgument?

    @OptionGroup var range: RangeOptions
    var from: String? { range.from }
    var to: String? { range.to }

    @Option(
        help: ArgumentHelp(
            "IANA time zone for day and month boundaries (default: the config's, else UTC).",
            discussion: "Example: --timezone Europe/Berlin", valueName: "zone"))
    var timezone: TimeZoneArgument?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The moment the run treats as now (default: the clock); a period that contains it is a partial report up to it.",
            discussion: "Example: --as-of 2026-10-15T00:00:00Z (a date means its local midnight).", valueName: "time"))
    var asOf: String?

    func validate() throws {
        try ArgumentProblem.check(period?.problem, timezone?.problem)
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("use either --period or --from/--to, not both")
        }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if period == nil && from == nil {
            throw ValidationError("say which period: --period 2026-10, or --from and --to")
        }
    }

    /// The period as asked for (``validate()`` made sure there is one).
    var request: PeriodRequest {
        if let period { return .named(period.text) }
        return .range(from: from ?? "", to: to ?? "")
    }

    /// The moment the run treats as now: `--as-of`, else the clock.
    func now(config: ChargebackConfig) throws -> Date {
        try PeriodRequest.runTime(asOf: asOf, in: timezone?.zone ?? config.timeZone)
    }

    /// The period in `--timezone` (else the config's zone), checked for reporting at `now`.
    func resolve(config: ChargebackConfig, now: Date) throws -> Period {
        try request.resolve(in: timezone?.zone ?? config.timeZone, now: now, anyPartial: asOf != nil)
    }
}

/// What `report` writes and where.
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Comma-separated formats to write: markdown, csv, xlsx, focus (FinOps FOCUS 1.2 CSV).",
            discussion: "Example: --format markdown,csv,focus", valueName: "list"))
    var format = FormatList([.markdown, .csv, .xlsx])

    @Option(
        name: .customLong("split-by"),
        help: ArgumentHelp(
            "Also write a pack per team: teams/<team>/ with the team's workbook, Markdown and .eml for its owner.",
            discussion: "The value is the word team, not a team's name: --split-by team.", valueName: "kind"))
    var splitBy: SplitBy?

    @Option(help: ArgumentHelp("Rows of the usage CSV: one per day or per hour.", valueName: "day|hour"))
    var granularity: Granularity = .day

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Folder for the reports (created if missing).",
            discussion: "Example: --output /srv/reports", valueName: "dir"))
    var output: String = "."

    @Option(
        help: ArgumentHelp(
            "A Mustache template to use instead of the built-in Markdown report.",
            discussion: "Example: --template templates/report.md.mustache", valueName: "file"))
    var template: String?

    enum Granularity: String, ExpressibleByArgument, CaseIterable {
        case day, hour
    }

    func validate() throws {
        try ArgumentProblem.check(format.problem)
    }

    enum SplitBy: String, ExpressibleByArgument, CaseIterable {
        case team
    }

    /// The `--template` file's path and text.
    /// - Throws: ``InputError`` when it cannot be read.
    func templateSource() throws -> (path: String, text: String)? {
        try template.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw InputError(file: path, "cannot read the template file")
            }
            return (path, text)
        }
    }
}
