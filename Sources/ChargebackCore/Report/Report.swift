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
    /// The comparison with the previous period (`nil` with `--no-compare` or in a team's view).
    public var comparison: Comparison?
    /// The periods before this one and this one, as totals per team (`--trend N`), or `nil`.
    public var trend: Trend?
    /// Where a running period will end, or `nil` (a finished period, or a library caller that did not ask).
    public var forecast: Forecast?

    public init(
        toolVersion: String, generatedAt: Date, period: Period, buckets: Buckets, partial: Bool,
        prometheusURL: String, config: ChargebackConfig, lines: [CostLine], allocation: Allocation,
        assessment: Assessment, coverage: Coverage, queries: [QueryRecord], diagnostics: [Diagnostic],
        cacheRules: [CacheRuleUse] = []
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
    }

    /// Total tokens of all kinds.
    public var totalTokens: Int64 { lines.reduce(0) { $0 + $1.tokens } }
    /// Exact total cost, unrounded.
    public var totalCost: Decimal { lines.reduce(0) { $0 + $1.cost } }
    /// Total cost rounded to cents (what the chargeback rows add up to).
    public var totalCents: Decimal { allocation.totalCents }

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
