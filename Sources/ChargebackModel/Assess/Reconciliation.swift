import Foundation

/// How our figures compare with what other tools show for the same period.
public struct Reconciliation: Sendable, Equatable {
    /// Per gateway and token type: PromQL `increase()` (what a Grafana panel shows) next to ours.
    public let dashboard: [Row]
    /// The gateways' own view of pricing (their catalog lookups) and why a gateway has no cost counter.
    public var pricing = GatewayPricingView()
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

        public init(gateway: String, tokenType: String, increase: Double, exact: Int64) {
            self.gateway = gateway
            self.tokenType = tokenType
            self.increase = increase
            self.exact = exact
        }

        /// (increase − exact) / exact, or `nil` when exact is zero.
        public var relativeDifference: Double? { exact == 0 ? nil : (increase - Double(exact)) / Double(exact) }
    }

    public struct CostRow: Sendable, Equatable {
        public let gateway: String
        public let gatewayReported: Decimal
        public let computed: Decimal

        public init(gateway: String, gatewayReported: Decimal, computed: Decimal) {
            self.gateway = gateway
            self.gatewayReported = gatewayReported
            self.computed = computed
        }

        public var difference: Decimal { gatewayReported - computed }
    }
}

extension Reconciliation {
    /// Nothing to compare (a team's view, a test).
    public static let none = Reconciliation(dashboard: [], gatewayCost: [])

    /// Our exact tokens and cost next to the dashboard's `increase()` and the gateway's own cost
    /// counter, per gateway (and token type).
    public static func of(_ measured: MeasuredUsage, lines: [CostLine]) -> Reconciliation {
        var exact: [String: Int64] = [:]
        var costByGateway: [String: Decimal] = [:]
        for line in lines {
            exact["\(line.key.gateway)\u{0}\(line.key.tokenType)", default: 0] += line.tokens
            costByGateway[line.key.gateway, default: 0].accumulate(line.cost)
        }
        let dashboard = measured.dashboardIncrease.map { figure in
            Row(
                gateway: figure.gateway, tokenType: figure.tokenType, increase: figure.tokens,
                exact: exact["\(figure.gateway)\u{0}\(figure.tokenType)"] ?? 0)
        }
        let gatewayCost = measured.gatewayCostNanos.keys.sorted().map { gateway in
            let nanos = measured.gatewayCostNanos[gateway, default: []].reduce(0, +)
            return CostRow(
                gateway: gateway, gatewayReported: Decimal(nanos) / 1_000_000_000,
                computed: costByGateway[gateway] ?? 0)
        }
        var reconciliation = Reconciliation(dashboard: dashboard, gatewayCost: gatewayCost)
        var unpriced: [String: Int64] = [:]
        for line in lines { unpriced[line.key.gateway, default: 0] += line.unpriced ? line.tokens : 0 }
        reconciliation.pricing = .of(
            usage: unpriced, lookups: measured.catalogLookups, costGateways: Set(measured.gatewayCostNanos.keys),
            builds: measured.gatewayBuilds)
        return reconciliation
    }
}
