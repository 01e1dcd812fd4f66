import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback rules`: Prometheus recording rules and alerts from the price book.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Write Prometheus recording rules and the cost alerts, priced from the price book.",
        usage:
            "chargeback rules [--config <file>] [--plain] [--at <date>]\n                 [--namespace <namespace>] [--quiet] [--verbose]\n                 [--log-format <format>]",
        discussion: """
            Writes to stdout a PrometheusRule (kube-prometheus-stack) or, with --plain, a plain rule \
            file: tokens and cost per gateway, per model and in total over 1h, 24h, 7d and 30d \
            (agentgateway:cost_usd:total_daily and the other names existing dashboards use), priced per model and \
            token type at the prices in force at --at, and the daily, weekly, monthly and hourly-pace \
            alerts from the config's thresholds. Generate again whenever a price changes.

            Examples:
              chargeback rules --config chargeback.yaml > prometheusrule.yaml \\
                  && kubectl apply -f prometheusrule.yaml
              chargeback rules --config chargeback.yaml --plain \\
                  > /etc/prometheus/rules/agentgateway-cost.yaml
              chargeback rules --config chargeback.yaml --plain \\
                  | promtool check rules /dev/stdin
              chargeback rules --config chargeback.yaml --at 2026-01-01
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Flag(help: "Write a plain Prometheus rule file (for rule_files and promtool) instead of a PrometheusRule.")
    var plain = false

    @Option(
        help: ArgumentHelp(
            "The date (UTC) or RFC 3339 time whose prices to use; default now.",
            discussion: "Example: --at 2026-01-01", valueName: "date"))
    var at: String?

    @Option(help: ArgumentHelp("The namespace of the PrometheusRule (default: monitoring).", valueName: "namespace"))
    var namespace: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if plain && namespace != nil {
            throw ValidationError("--namespace applies to the PrometheusRule, not to --plain")
        }
        if let namespace,
            namespace.count > 63
                || namespace.range(of: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", options: .regularExpression) == nil
        {
            throw ValidationError(
                "--namespace '\(namespace)' is not a Kubernetes namespace name (lower-case letters, digits, '-')")
        }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            let rules = try RuleGenerator.generate(config: config, at: try InstantOption.parse(at, flag: "--at"))
            ErrorReporting.print(rules.diagnostics, to: logger)
            var metadata = RuleFileRenderer.Metadata()
            if let namespace { metadata.namespace = namespace }
            print(try RuleFileRenderer.render(rules, plain: plain, metadata: metadata), terminator: "")
        }
    }
}
