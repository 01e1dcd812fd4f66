import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback collect`: measure complete hours into the usage store.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Store the exact hourly usage of complete hours, so reports outlive Prometheus' retention.",
        discussion: """
            Measures every complete hour the store (the config's store: block) does not hold yet, with \
            the same exact method as `report`, and writes each hour in its own transaction: a killed run \
            leaves the hours it committed. By default it starts after the last stored hour (re-measuring \
            the hours measured less than 26 hours after they ended, as their late samples may since have \
            arrived) or, on a new store, at the oldest data Prometheus holds, and ends at the last complete \
            hour. Run it hourly or daily from cron; only one run writes at a time.

            Examples:
              chargeback collect --config chargeback.yaml
              chargeback collect --config chargeback.yaml --from 2026-10-01 --to 2026-11-01
              chargeback collect --config chargeback.yaml --from 2026-10-14 --to 2026-10-15 --replace
            """
    )

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var backend: BackendOptions

    @Option(
        help: ArgumentHelp(
            "First hour to consider: a date or an RFC 3339 time (default: after the last stored hour).",
            valueName: "time"))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "End of the hours to consider (exclusive; default: the last complete hour).",
            valueName: "time"))
    var to: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp(
            "The moment the run treats as now (default: the clock): no sample after it is read.", valueName: "time"))
    var asOf: String?

    @Flag(help: "Measure the stored hours of --from/--to again; every change is recorded and shown by later reports.")
    var replace = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if replace && (from == nil || to == nil) { throw ValidationError("--replace needs --from and --to") }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try backend.apply(to: ConfigLoader.load(path: configOption.config))
            let now = try PeriodRequest.runTime(asOf: asOf, in: config.timeZone)
            func instant(_ text: String?, _ flag: String) throws -> Date? {
                try text.map { text in
                    guard let date = DateText.parseDateOrInstant(text, in: config.timeZone) else {
                        throw InputError(
                            file: nil,
                            "\(flag) '\(text)' is not a date (2026-10-01) or RFC 3339 time "
                                + "(2026-10-01T00:00:00Z)")
                    }
                    return date
                }
            }
            let request = Collector.Request(
                from: try instant(from, "--from"), to: try instant(to, "--to"), now: now,
                replace: replace,
                commandLine: ["chargeback"] + Array(CommandLine.arguments.dropFirst()))
            let outcome = try await StoreAccess.with(config) { store in
                try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
                    try await Collector(store: store, client: client, config: config, logger: logger).run(request)
                }
            }
            ErrorReporting.print(outcome.diagnostics, to: logger)
            if !logging.quiet {
                let range =
                    outcome.hours.isEmpty
                    ? "" : " of \(outcome.hours.lowerBound) to \(outcome.hours.upperBound)"
                let net = outcome.changes.reduce(Int64(0)) { $0 + $1.newTokens - $1.oldTokens }
                print(
                    "collected \(outcome.hoursWritten) hour(s)\(range) into \(config.store?.displayName ?? "")"
                        + (outcome.changes.isEmpty
                            ? ""
                            : "; \(outcome.changes.count) stored figure(s) changed "
                                + "(\(net >= 0 ? "+" : "")\(net) tokens)"))
            }
        }
    }
}
