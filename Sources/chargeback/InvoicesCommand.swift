import ArgumentParser
import ChargebackCore
import Foundation

/// `chargeback invoices`: provider bills.
struct InvoicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoices",
        abstract: "Fetch provider bills from their cost APIs.",
        subcommands: [InvoicesFetchCommand.self]
    )
}

extension CostProvider: ExpressibleByArgument {}

/// `chargeback invoices fetch`: one provider's cost pages for a period, stored as files.
struct InvoicesFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a provider's bill for a period from its cost API and store the raw pages.",
        discussion: """
            Reads the Anthropic Admin API cost report (GET /v1/organizations/cost_report, grouped by \
            description) or the OpenAI organization costs (GET /v1/organization/costs, grouped by \
            line_item) for the UTC days of the period, following every page, and writes each page as \
            it came into --output: <provider>-<period>-page-<n>.json, with <provider>-<period>-fetch.json \
            listing them with their SHA-256. The admin key comes from the config's invoices: entry of \
            that provider (key_file or key_env), or from --key-file or --key-env; never from a flag's \
            value. Files are moved into place only when every page was read. `report --invoice` reads \
            the pages.

            Examples:
              chargeback invoices fetch --config chargeback.yaml --provider anthropic \\
                  --period last-month --output invoices/
              chargeback invoices fetch --config chargeback.yaml --provider openai \\
                  --period 2026-10 --key-env OPENAI_ADMIN_KEY --output invoices/

            Exit codes: 0 success; 1 the API refused the key, failed, sent a page that is not a \
            valid cost report, or a file could not be written (nothing is written then); 64 a usage \
            or input-file error, or a key file or variable that cannot be read.
            """
    )

    @OptionGroup var configOption: ConfigOption

    @Option(help: ArgumentHelp("Whose bill: anthropic or openai.", valueName: "provider"))
    var provider: CostProvider

    @OptionGroup var periodOptions: PeriodOptions

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Folder for the pages (created if missing).", discussion: "Example: --output invoices/", valueName: "dir"))
    var output: String = "."

    @Option(
        name: .customLong("key-file"),
        help: ArgumentHelp(
            "A file holding the admin key, instead of the config's invoices: entry.", valueName: "file"))
    var keyFile: String?

    @Option(
        name: .customLong("key-env"),
        help: ArgumentHelp(
            "An environment variable holding the admin key, instead of the config's invoices: entry.",
            valueName: "name"))
    var keyEnv: String?

    @Option(
        help: ArgumentHelp(
            "The API's base URL (a proxy), instead of the entry's url: or the provider's.", valueName: "url"))
    var url: String?

    @Flag(
        name: .customLong("wait-lock"),
        help: "If another run is writing into --output, wait for it instead of exiting with 1.")
    var waitLock = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if keyFile != nil && keyEnv != nil { throw ValidationError("use either --key-file or --key-env, not both") }
    }

    func run() async throws {
        let logger = LoggingSetup.bootstrap(logging)
        try await ErrorReporting.run {
            let config = try ConfigLoader.load(path: configOption.config)
            let now = try periodOptions.now(config: config)
            let period = try periodOptions.resolve(config: config, now: now)
            let source = try self.source(config)
            let directory = URL(fileURLWithPath: output)
            let lock = try OutputLock(directory: directory, wait: waitLock)
            defer { withExtendedLifetime(lock) {} }
            let fetch = try await InvoiceFetching.fetch(source, period: period, now: now, folder: "", logger: logger)
            let stem = InvoiceFetching.stem(provider, period: period)
            let staged = try StagedOutput(directory: directory)
            do {
                for page in fetch.pages { try staged.write(page.file, page.data) }
                try staged.write(
                    "\(stem)-fetch.json",
                    InvoiceFetchManifest.render(
                        fetch, period: period, commandLine: ["chargeback"] + Array(CommandLine.arguments.dropFirst())))
                try staged.commit()
            } catch {
                staged.discard()
                throw error
            }
            InvoiceFetching.removeStalePages(in: directory, stem: stem, keeping: fetch.pages.count)
            if !logging.quiet { print(summary(fetch, period: period, directory: directory)) }
        }
    }

    /// The config's entry for `--provider`, with the flags' key and URL.
    /// - Throws: ``InputError`` when neither the config nor a flag says where the key is.
    private func source(_ config: ChargebackConfig) throws -> InvoiceSource {
        var source = config.billing.sources.first { $0.provider == provider }
        let key: SecretSource? = keyFile.map { .file($0) } ?? keyEnv.map { .environment($0) }
        if let key {
            if source == nil { source = InvoiceSource(provider: provider, key: key) }
            source?.key = key
        }
        guard var source else {
            throw InputError(
                file: configOption.config,
                "no invoices: entry fetches the \(provider.rawValue) bill: add "
                    + "{ provider: \(provider.rawValue), key_file: FILE } (or key_env: NAME), or give --key-file or --key-env"
            )
        }
        if let url {
            source.url = try InvoiceSourceURL.parse(url)
        }
        return source
    }

    private func summary(_ fetch: FetchedInvoices, period: Period, directory: URL) -> String {
        let lines = fetch.invoices.reduce(0) { $0 + $1.lines.count }
        let totals = fetch.totals.sorted { $0.key < $1.key }
            .map { "\($0.key) \(DecimalText.plain($0.value, minScale: 2))" }.joined(separator: ", ")
        var text = "\(fetch.provider.rawValue) \(period.label): \(fetch.pages.count) page(s), \(lines) line(s)"
        text += totals.isEmpty ? "" : ", \(totals)"
        for page in fetch.pages {
            text += "\n  \(directory.appendingPathComponent(page.file).path)  sha256 \(page.sha256)"
        }
        return text
    }
}
