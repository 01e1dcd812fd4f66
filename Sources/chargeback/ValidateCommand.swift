import ArgumentParser
import ChargebackCore
import Foundation
import Logging

/// `chargeback validate`: check the three input files without touching Prometheus.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the config, pricing and team files parse and agree with each other.",
        usage: """
            chargeback validate [--config <file>] [--online]
                                [--as-of <time> | --from <time> --to <time>]
                                [--prometheus-url <url>] [--quiet] [--verbose]
                                [--log-format <format>]
            """,
        discussion: """
            Prints every problem as file:line:column: message and exits 64 if there is one, 0 otherwise.

            With --online it also asks Prometheus which label values the token metric had in a window \
            (the 30 days before now, before --as-of, or --from/--to) and lists the models no price \
            matches, the models used before their first price starts, and the usage no team rule maps.

            Examples:
              chargeback validate --config chargeback.yaml
              chargeback validate --config chargeback.yaml --online \\
                  --prometheus-url http://127.0.0.1:9090
              chargeback validate --config chargeback.yaml --online \\
                  --as-of 2026-11-01T00:00:00Z
              chargeback validate --config chargeback.yaml --online \\
                  --from 2026-10-01 --to 2026-11-01
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Flag(help: "Also check the label values Prometheus has seen in a window (default: the last 30 days).")
    var online = false

    @OptionGroup var window: OnlineWindowOptions

    @OptionGroup var backend: BackendOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if !online && window.isSet { throw ValidationError("--as-of, --from and --to choose the window of --online") }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let problems = ConfigLoader.problems(path: configOption.config)
            if !problems.isEmpty { throw InputErrors(problems) }
            let config = try backend.apply(to: ConfigLoader.load(path: configOption.config))
            ErrorReporting.print(
                RuleReach.diagnostics(config.teams.rules, teamsFile: config.filePath(role: "teams")), to: logger)
            if online {
                try await checkOnline(config, window: window.resolve(in: config.timeZone), logger: logger)
            }
            if !logging.quiet {
                print(
                    "\(configOption.config): ok (\(config.pricing.models.count) priced model pattern(s), "
                        + "\(config.teams.teams.count) team(s), \(config.teams.rules.count) rule(s), time zone "
                        + "\(config.timeZone.reportName))")
            }
        }
    }

    /// Prints what Prometheus has that the files do not cover; fails (64) where the files say `error`.
    private func checkOnline(_ config: ChargebackConfig, window: OnlineCheckWindow, logger: Logger) async throws {
        let (result, url) = try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            (try await OnlineCheck.run(config: config, client: client, window: window), client.displayURL)
        }
        if !logging.quiet {
            print("\(url): \(result.series) series of \(config.metrics.tokens) from \(window.description)")
            print(
                "gateways (\(config.metrics.labels.gateway)): "
                    + result.gateways.map { $0.isEmpty ? "(none)" : $0 }.joined(separator: ", "))
            for (tag, targets) in result.versions.sorted(by: { $0.key < $1.key }) {
                print(
                    "agentgateway \(tag.isEmpty ? "(no tag)" : tag): \(targets.count) target(s) ("
                        + targets.prefix(5).joined(separator: ", ") + (targets.count > 5 ? ", …" : "") + ")")
            }
            for line in result.conventions { print("cache convention: \(line)") }
        }
        let diagnostics = DiagnosticCollector()
        diagnostics.emit(contentsOf: result.diagnostics(config: config))
        ErrorReporting.print(diagnostics.all.filter { $0.severity < .error }, to: logger)
        if let errors = diagnostics.inputErrors() { throw errors }
    }
}

/// The window `validate --online` looks at: `--as-of` (its end) or `--from`/`--to`.
struct OnlineWindowOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "With --online: look at the 30 days before this time instead of before now.",
            discussion: "Example: --as-of 2026-11-01T00:00:00Z (a date means its midnight in the config's zone).",
            valueName: "time"))
    var asOf: String?

    @OptionGroup var range: RangeOptions
    var from: String? { range.from }
    var to: String? { range.to }

    var isSet: Bool { asOf != nil || from != nil || to != nil }

    func validate() throws {
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if asOf != nil && from != nil { throw ValidationError("use either --as-of or --from/--to, not both") }
    }

    /// The window in `zone`, whose midnights dates stand for.
    func resolve(in zone: TimeZone) throws -> OnlineCheckWindow {
        if let from, let to {
            let period = try Period.range(from: from, to: to, in: zone)
            return OnlineCheckWindow(start: period.start, end: period.end, origin: "--from/--to")
        }
        let end = try PeriodRequest.runTime(asOf: asOf, in: zone)
        return .days(before: end, origin: asOf == nil ? "now" : "--as-of")
    }
}
