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
    /// ``ReportFacts/configuredPrometheusURL``, which does not change with `--prometheus-url`).
    public let prometheusURL: String
    /// What the run was set up with that the files show (never the configuration itself).
    public let facts: ReportFacts
    /// Priced usage per key, hour by hour, sorted by key.
    public let lines: [CostLine]
    public let allocation: Allocation
    /// The ledger summed per gateway, model, token type, day and `--group-by` label (``byGateway`` and the others).
    let views: LedgerViews
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
    public let conversion: Conversion
    /// Which hours came from the usage store and which from Prometheus; empty when no store was read.
    public let usageSources: [UsageSourceSpan]
    /// The usage store read, for the method section and the manifest (`nil` when none).
    public let storeName: String?
    /// The comparison with the previous period (`nil` with `--no-compare` or in a team's view).
    public private(set) var comparison: Comparison?
    /// The periods before this one and this one, as totals per team (`--trend N`), or `nil`.
    public private(set) var trend: Trend?
    /// Where a running period will end, or `nil` (a finished period, or a library caller that did not ask).
    public private(set) var forecast: Forecast?
    /// The bills fetched from `invoices:` sources: their raw pages are written beside the reports.
    public let fetchedInvoices: [FetchedInvoices]
    /// Who spent each team's cost, per identity of the directory's label (`nil` without a directory).
    public private(set) var identities: IdentityBreakdown?
    /// The request log's coverage of the counted tokens (`attribution:`), or `nil`.
    public private(set) var attribution: AttributionSummary?

    public init(
        toolVersion: String, generatedAt: Date, period: Period, buckets: Buckets, partial: Bool,
        prometheusURL: String, facts: ReportFacts, lines: [CostLine], allocation: Allocation,
        assessment: Assessment, coverage: Coverage, queries: [QueryRecord], diagnostics: [Diagnostic],
        cacheRules: [CacheRuleUse] = [], adjustments: AdjustmentLedger? = nil,
        invoiceReconciliation: InvoiceReconciliation = .empty, basis: AllocationBasis = .measured,
        conversion: Conversion = .usd, usageSources: [UsageSourceSpan] = [], storeName: String? = nil,
        fetchedInvoices: [FetchedInvoices] = []
    ) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.period = period
        self.buckets = buckets
        self.partial = partial
        self.prometheusURL = prometheusURL
        self.facts = facts
        self.lines = lines
        self.allocation = allocation
        views = LedgerViews(allocation.ledger, buckets: buckets, facts: facts)
        self.assessment = assessment
        self.coverage = coverage
        self.queries = queries
        self.diagnostics = diagnostics
        self.cacheRules = cacheRules
        self.adjustments = adjustments ?? .none(allocation)
        self.invoiceReconciliation = invoiceReconciliation
        self.basis = basis
        self.conversion = conversion
        self.usageSources = usageSources
        self.storeName = storeName
        self.fetchedInvoices = fetchedInvoices
    }

    /// This report with the comparison with the previous period (the Compare stage's, added last).
    public func with(comparison: Comparison?) -> Report {
        var copy = self
        copy.comparison = comparison
        return copy
    }

    /// This report with the trend of the periods before it.
    public func with(trend: Trend?) -> Report {
        var copy = self
        copy.trend = trend
        return copy
    }

    /// This report with the per-identity figures (built by the pipeline).
    public func with(identities: IdentityBreakdown?) -> Report {
        var copy = self
        copy.identities = identities
        return copy
    }

    /// This report with the request log's coverage.
    public func with(attribution: AttributionSummary?) -> Report {
        var copy = self
        copy.attribution = attribution
        return copy
    }

    /// This report with the forecast of where its period will end.
    public func with(forecast: Forecast?) -> Report {
        var copy = self
        copy.forecast = forecast
        return copy
    }

    /// Per `--group-by` label, the usage per value: sums of the ledger's lines (``LabelGrouping``).
    public var byLabels: [LabelGrouping] { views.byLabels }

    /// The currency of every amount of the report.
    public var currency: Currency { conversion.currency }

    /// Total tokens of all kinds.
    public var totalTokens: Int64 { lines.reduce(0) { $0 + $1.tokens } }
    /// Exact total cost, unrounded.
    public var totalCost: Decimal { lines.reduce(into: 0) { $0.accumulate($1.cost) } }
    /// Total cost rounded to cents (what the chargeback rows add up to).
    public var roundedTotal: Decimal { allocation.roundedTotal }
    /// What the teams pay: list cents plus every adjustment's cents.
    public var netCents: Decimal { adjustments.totalNet }

    /// Every threshold and budget window checked (``Assessment/checks``).
    public var thresholdChecks: [ThresholdCheck] { assessment.checks }
    /// Budget use per team in report order (``Assessment/budgets``).
    public var budgets: [BudgetStatus] { assessment.budgets }
    /// What the period breached (``Assessment/breaches``).
    public var breaches: [Breach] { assessment.breaches }
    /// The breaches as sentences for people, dates in the report's time zone.
    public var breachSentences: [String] { breaches.map { $0.sentence(in: period.timeZone, currency: currency) } }
    public var reconciliation: Reconciliation { assessment.reconciliation }
}
