import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback prices`: the price table in force on a date.
struct PricesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Print the effective price table (USD per million tokens) on a date.",
        usage:
            "chargeback prices [--config <file>] [--at <date>] [--quiet] [--verbose]\n                  [--log-format <format>] [<subcommand>]",
        discussion: """
            Examples:
              chargeback prices --config chargeback.yaml
              chargeback prices --config chargeback.yaml --at 2025-01-15
              chargeback prices import-litellm model_prices_and_context_window.json \\
                  --match 'claude-*' > pricing.yaml
            """,
        subcommands: [ImportLiteLLMCommand.self]
    )

    @OptionGroup var configOption: ConfigOption

    @Option(
        help: ArgumentHelp(
            "The date (UTC) or RFC 3339 time to show prices for; default now.",
            discussion: "Example: --at 2025-01-15", valueName: "date"))
    var at: String?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        _ = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            let utc = TimeZone(identifier: "UTC")!
            let instant =
                try at.map { text -> Date in
                    guard let date = DateText.parseDateOrInstant(text, in: utc) else {
                        throw InputError(file: nil, "--at '\(text)' is not a date (2025-01-15) or RFC 3339 time")
                    }
                    return date
                } ?? Date()
            print(PriceTable.text(config.pricing, at: instant))
        }
    }
}

/// The `prices` table as aligned text.
enum PriceTable {
    static func text(_ book: PriceBook, at instant: Date) -> String {
        var rows = [["match", "from", "input", "output", "cache_read", "cache_write"]]
        for entry in book.models {
            guard let point = entry.price(at: instant) else {
                rows.append([entry.match.pattern, "(no price yet)", "", "", "", ""])
                continue
            }
            rows.append(
                [entry.match.pattern, DateText.priceStart(point.from)]
                    + TokenKind.allCases.map { kind in
                        point.perMillion(kind).map { "\($0)" } ?? "-"
                    })
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let header = "Prices in \(book.currency) per million tokens in force at \(DateText.utc(instant)):\n"
        return header
            + rows.map { row in
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n")
    }
}
