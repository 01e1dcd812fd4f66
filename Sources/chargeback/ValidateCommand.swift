import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback validate`: check the three input files without touching Prometheus.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that the config, pricing and team files parse and agree with each other.",
        discussion: """
        Prints every problem as file:line:column: message and exits 64 if there is one, 0 otherwise.

        Examples:
          chargeback validate --config chargeback.yaml
        """
    )

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        _ = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            if !logging.quiet {
                print("\(configOption.config): ok (\(config.pricing.models.count) priced model pattern(s), "
                      + "\(config.teams.teams.count) team(s), \(config.teams.rules.count) rule(s), time zone "
                      + "\(config.timeZone.reportName))")
            }
        }
    }
}
