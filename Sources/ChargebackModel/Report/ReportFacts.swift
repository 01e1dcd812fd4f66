import Foundation

/// What the run was set up with that the files show, taken from the configuration once by the
/// pipeline (``ReportFacts/init(config:)``), so that no renderer reads the configuration.
public struct ReportFacts: Sendable, Equatable {
    /// The team book's teams (cost centres, owners, mail addresses), in the file's order.
    public let teams: [Team]
    /// The label names of the usage dimensions (gateway, model, token type).
    public let labels: LabelNames
    /// The token counter's name, for the method.
    public let tokensMetric: String
    /// The shortest gap reported and apportioned, in scrape intervals.
    public let gapFactor: Double
    /// How the counters were read.
    public let fetchPlan: FetchPlan
    /// The price book's currency.
    public let priceCurrency: String
    /// The input files of the run, in the order config, pricing, teams (then the directory, if any).
    public let inputFiles: [InputFileRecord]
    /// The Prometheus URL the config file names (the Markdown and the workbook show this one, so
    /// a report read through `--prometheus-url` gives the same files; manifest.json names the other).
    public let configuredPrometheusURL: String
    /// Whether `--prometheus-url` replaced the config's URL for this run.
    public let prometheusOverridden: Bool
    /// The team mails' sender and reply address (`nil` without a `mail:` block: no one to reply to).
    public let mailFrom: Mailbox?
    public let mailReplyTo: Mailbox?
    /// Whether the price book has discounts, markup, fixed amounts or credits.
    public let hasPriceAdjustments: Bool
    /// The teams file as the config names it, for messages.
    public let teamsFile: String
    /// How series labels became usage keys, for the `--group-by` breakdowns.
    public let dimensions: UsageDimensions
    /// The `--group-by` labels.
    public let groupBy: [String]

    public init(
        teams: [Team], labels: LabelNames, tokensMetric: String, gapFactor: Double, fetchPlan: FetchPlan,
        priceCurrency: String, inputFiles: [InputFileRecord], configuredPrometheusURL: String,
        prometheusOverridden: Bool, mailFrom: Mailbox?, mailReplyTo: Mailbox?, hasPriceAdjustments: Bool,
        teamsFile: String, dimensions: UsageDimensions, groupBy: [String]
    ) {
        self.teams = teams
        self.labels = labels
        self.tokensMetric = tokensMetric
        self.gapFactor = gapFactor
        self.fetchPlan = fetchPlan
        self.priceCurrency = priceCurrency
        self.inputFiles = inputFiles
        self.configuredPrometheusURL = configuredPrometheusURL
        self.prometheusOverridden = prometheusOverridden
        self.mailFrom = mailFrom
        self.mailReplyTo = mailReplyTo
        self.hasPriceAdjustments = hasPriceAdjustments
        self.teamsFile = teamsFile
        self.dimensions = dimensions
        self.groupBy = groupBy
    }

    /// The team of the book named `name`, if any.
    public func team(named name: String) -> Team? { teams.first { $0.name == name } }

    /// The book's teams by name (the first of a name wins).
    public var teamsByName: [String: Team] {
        Dictionary(teams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where the counters were read, in words that hold no URL of the run's own.
    public var prometheusSource: String {
        prometheusOverridden
            ? "the Prometheus given by --prometheus-url (manifest.json names it) in place of the config's "
                + configuredPrometheusURL
            : configuredPrometheusURL
    }
}
