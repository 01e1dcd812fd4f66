import Foundation

/// One immutable model of everything a renderer may show. Renderers never compute numbers of
/// their own beyond sums of what is here.
public struct Report: Sendable {
    public let toolVersion: String
    public let generatedAt: Date
    public let period: Period
    public let buckets: Buckets
    /// The period reaches past the run time; figures cover only up to it.
    public let partial: Bool
    /// The Prometheus this run read, for manifest.json only (the other files show
    /// ``configuredPrometheusURL``, which does not change with `--prometheus-url`).
    public let prometheusURL: String
    public let config: ChargebackConfig
    /// Priced usage per key, hour by hour, sorted by key.
    public let lines: [CostLine]
    public let allocation: Allocation
    /// Thresholds, budgets, breaches and the comparison with other tools: the Assess stage's value.
    public let assessment: Assessment
    public let coverage: Coverage
    public let queries: [QueryRecord]
    public let diagnostics: [Diagnostic]
    /// The `input_includes_cache` rules that decided some hour of the period (``Pricing``).
    public let cacheRules: [CacheRuleUse]
    /// List cost, discounts, markup, fixed amounts and credits, and the net, per team, in cents.
    public let adjustments: AdjustmentLedger
    /// The invoices read and how they compare with what was measured (empty without invoices).
    public let invoiceReconciliation: InvoiceReconciliation
    /// Whether the lines' cost is measured or the invoices' (`--basis invoice`).
    public let basis: AllocationBasis
    /// The report's currency and the exchange rate its amounts were converted at.
    public var conversion = Conversion.usd
    /// The ISO 4217 code of every amount of the report.
    public var currency: String { conversion.to }
    /// Which hours came from the usage store and which from Prometheus; empty when no store was read.
    public var usageSources: [UsageSourceSpan] = []
    /// The usage store read, for the method section and the manifest (`nil` when none).
    public var storeName: String?
    /// The comparison with the previous period (`nil` with `--no-compare` or in a team's view).
    public var comparison: Comparison?
    /// The periods before this one and this one, as totals per team (`--trend N`), or `nil`.
    public var trend: Trend?
    /// Where a running period will end, or `nil` (a finished period, or a library caller that did not ask).
    public var forecast: Forecast?
    /// The bills fetched from `invoices:` sources: their raw pages are written beside the reports.
    public var fetchedInvoices: [FetchedInvoices] = []

    public init(
        toolVersion: String, generatedAt: Date, period: Period, buckets: Buckets, partial: Bool,
        prometheusURL: String, config: ChargebackConfig, lines: [CostLine], allocation: Allocation,
        assessment: Assessment, coverage: Coverage, queries: [QueryRecord], diagnostics: [Diagnostic],
        cacheRules: [CacheRuleUse] = [], adjustments: AdjustmentLedger? = nil,
        invoiceReconciliation: InvoiceReconciliation = .empty, basis: AllocationBasis = .measured
    ) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.period = period
        self.buckets = buckets
        self.partial = partial
        self.prometheusURL = prometheusURL
        self.config = config
        self.lines = lines
        self.allocation = allocation
        self.assessment = assessment
        self.coverage = coverage
        self.queries = queries
        self.diagnostics = diagnostics
        self.cacheRules = cacheRules
        self.adjustments = adjustments ?? .none(allocation)
        self.invoiceReconciliation = invoiceReconciliation
        self.basis = basis
    }

    /// Total tokens of all kinds.
    public var totalTokens: Int64 { lines.reduce(0) { $0 + $1.tokens } }
    /// Exact total cost, unrounded.
    public var totalCost: Decimal { lines.reduce(0) { $0 + $1.cost } }
    /// Total cost rounded to cents (what the chargeback rows add up to).
    public var totalCents: Decimal { allocation.totalCents }
    /// What the teams pay: list cents plus every adjustment's cents.
    public var netCents: Decimal { adjustments.totalNet }

    /// Every threshold and budget window checked (``Assessment/checks``).
    public var thresholdChecks: [ThresholdCheck] { assessment.checks }
    /// Budget use per team in report order (``Assessment/budgets``).
    public var budgets: [BudgetStatus] { assessment.budgets }
    /// What the period breached (``Assessment/breaches``).
    public var breaches: [Breach] { assessment.breaches }
    /// The breaches as sentences for people, dates in the report's time zone.
    public var breachSentences: [String] { breaches.map { $0.sentence(in: period.timeZone) } }
    public var reconciliation: Reconciliation { assessment.reconciliation }
}

extension Report {
    /// The Prometheus URL the config file names. The Markdown and the workbook show this one, so
    /// that the same report read through `--prometheus-url` (another server or port, which
    /// manifest.json records) gives the same files.
    public var configuredPrometheusURL: String {
        (config.prometheus.configuredURL ?? config.prometheus.url).absoluteString
    }

    /// Whether `--prometheus-url` replaced the config's URL for this run.
    public var prometheusOverridden: Bool { config.prometheus.configuredURL != nil }

    /// Where the counters were read, in words that hold no URL of the run's own.
    public var prometheusSource: String {
        prometheusOverridden
            ? "the Prometheus given by --prometheus-url (manifest.json names it) in place of the config's "
                + configuredPrometheusURL
            : configuredPrometheusURL
    }
}
