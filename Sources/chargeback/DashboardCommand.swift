import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback dashboard`: the Grafana dashboard over the rules of `chargeback rules`.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Write a Grafana dashboard (JSON) over the recording rules of `chargeback rules`.",
        usage:
            "chargeback dashboard [--config <file>] [--quiet] [--verbose]\n                     [--log-format <format>]",
        discussion: """
            Writes to stdout a dashboard with a Prometheus data-source variable, the 24 h, 7 d and \
            30 d cost and the daily pace against the config's thresholds, cost per gateway and per \
            model, and tokens per model and type. It reads only the recorded series, so load the \
            rules first. Import it in Grafana (Dashboards → Import) or provision it from a ConfigMap.

            Examples:
              chargeback dashboard --config chargeback.yaml > grafana-dashboard.json
            """
    )

    @OptionGroup var configOption: ConfigOption

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        _ = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            print(try DashboardBuilder.json(config: config), terminator: "")
        }
    }
}
