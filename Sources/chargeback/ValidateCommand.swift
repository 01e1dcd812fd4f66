import ArgumentParser
import ChargebackCore
import Foundation
import Logging

/// `chargeback validate`: check the three input files without touching Prometheus.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the config, pricing and team files parse and agree with each other.",
        usage:
            "chargeback validate [--config <file>] [--online] [--prometheus-url <url>]\n                    [--quiet] [--verbose] [--log-format <format>]",
        discussion: """
            Prints every problem as file:line:column: message and exits 64 if there is one, 0 otherwise.

            With --online it also asks Prometheus which label values the token metric had in the last \
            30 days and lists the models no price matches, the models used before their first price \
            starts, and the usage no team rule maps.

            Examples:
              chargeback validate --config chargeback.yaml
              chargeback validate --config chargeback.yaml --online \\
                  --prometheus-url http://127.0.0.1:9090
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Flag(help: "Also check the label values Prometheus has seen in the last 30 days.")
    var online = false

    @OptionGroup var backend: BackendOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let problems = ConfigLoader.problems(path: configOption.config)
            if !problems.isEmpty { throw InputErrors(problems) }
            let config = try backend.apply(to: ConfigLoader.load(path: configOption.config))
            if online { try await checkOnline(config, logger: logger) }
            if !logging.quiet {
                print(
                    "\(configOption.config): ok (\(config.pricing.models.count) priced model pattern(s), "
                        + "\(config.teams.teams.count) team(s), \(config.teams.rules.count) rule(s), time zone "
                        + "\(config.timeZone.reportName))")
            }
        }
    }

    /// Prints what Prometheus has that the files do not cover; fails (64) where the files say `error`.
    private func checkOnline(_ config: ChargebackConfig, logger: Logger) async throws {
        let (result, url) = try await PrometheusClient.using(settings: config.prometheus, logger: logger) { client in
            (try await OnlineCheck.run(config: config, client: client), client.displayURL)
        }
        if !logging.quiet {
            print("\(url): \(result.series) series of \(config.metrics.tokens) in the last 30 days")
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
