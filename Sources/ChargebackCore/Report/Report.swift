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
    public let coverage: Coverage
    public let reconciliation: Reconciliation
    public let queries: [QueryRecord]
    public let diagnostics: [Diagnostic]
    /// Every threshold and budget window checked: the Assess stage, run when the model is made.
    public private(set) var thresholdChecks: [ThresholdCheck] = []

    public init(toolVersion: String, generatedAt: Date, period: Period, buckets: Buckets, partial: Bool,
                prometheusURL: String, config: ChargebackConfig, lines: [CostLine], allocation: Allocation,
                coverage: Coverage, reconciliation: Reconciliation, queries: [QueryRecord], diagnostics: [Diagnostic]) {
        self.toolVersion = toolVersion
        self.generatedAt = generatedAt
        self.period = period
        self.buckets = buckets
        self.partial = partial
        self.prometheusURL = prometheusURL
        self.config = config
        self.lines = lines
        self.allocation = allocation
        self.coverage = coverage
        self.reconciliation = reconciliation
        self.queries = queries
        self.diagnostics = diagnostics
        thresholdChecks = ThresholdAssessment.checks(self)
    }

    /// Total tokens of all kinds.
    public var totalTokens: Int64 { lines.reduce(0) { $0 + $1.tokens } }
    /// Exact total cost, unrounded.
    public var totalCost: Decimal { lines.reduce(0) { $0 + $1.cost } }
    /// Total cost rounded to cents (what the chargeback rows add up to).
    public var totalCents: Decimal { allocation.totalCents }
}

/// How our figures compare with what other tools show for the same period.
public struct Reconciliation: Sendable, Equatable {
    /// Per gateway and token type: PromQL `increase()` (what a Grafana panel shows) next to ours.
    public let dashboard: [Row]
    /// Per gateway: the gateway's own cost counter next to our cost, when it exports one.
    public let gatewayCost: [CostRow]

    public init(dashboard: [Row], gatewayCost: [CostRow]) {
        self.dashboard = dashboard
        self.gatewayCost = gatewayCost
    }

    public struct Row: Sendable, Equatable {
        public let gateway: String
        public let tokenType: String
        public let increase: Double
        public let exact: Int64
        /// (increase − exact) / exact, or `nil` when exact is zero.
        public var relativeDifference: Double? { exact == 0 ? nil : (increase - Double(exact)) / Double(exact) }
    }

    public struct CostRow: Sendable, Equatable {
        public let gateway: String
        public let gatewayReported: Decimal
        public let computed: Decimal
        public var difference: Decimal { gatewayReported - computed }
    }
}
