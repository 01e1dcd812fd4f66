import ArgumentParser
import Foundation

/// `--config`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
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

    @Option(name: .customLong("log-format"), help: ArgumentHelp(
        "Log line format on stderr: text or json (for log shippers).", valueName: "format"))
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }
}
