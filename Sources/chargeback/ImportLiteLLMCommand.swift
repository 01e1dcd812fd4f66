import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback prices import-litellm`: LiteLLM's price JSON as our `pricing.yaml`.
struct ImportLiteLLMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-litellm",
        abstract: "Convert LiteLLM's model_prices_and_context_window.json (USD per token) into pricing.yaml.",
        discussion: """
            Writes the YAML to stdout. Every price gets the --from date; review the result, since the \
            first matching entry wins.

            Examples:
              chargeback prices import-litellm model_prices_and_context_window.json \\
                  > pricing.yaml
              chargeback prices import-litellm prices.json --match 'claude-*' \\
                  --from 2025-10-01
            """
    )

    @Argument(help: ArgumentHelp("LiteLLM's JSON file.", valueName: "file"))
    var file: String

    @Option(
        help: ArgumentHelp("The effective date for every price (YYYY-MM-DD; default today, UTC).", valueName: "date"))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "Keep only models matching this glob.", discussion: "Example: --match 'gpt-4o*'",
            valueName: "glob"))
    var match: String?

    func run() async throws {
        try await ErrorReporting.run {
            let utc = TimeZone(identifier: "UTC")!
            let day = from ?? DateText.day(Date(), in: utc)
            guard DateText.parseDay(day, in: utc) != nil else {
                throw InputError(file: nil, "--from '\(day)' is not a date like 2025-10-01")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError(file: file, "cannot read the file")
            }
            print(try LiteLLMImport.yaml(from: data, file: file, from: day, only: match.map(Glob.init)), terminator: "")
        }
    }
}
