import Foundation

/// agentgateway's own view of pricing, next to ours (issue 29, item 3): its model catalog counts
/// every request's cost lookup in `agentgateway_cost_catalog_lookups_total{status}` (`Exact`,
/// `Unpriced`: an entry without rates, `Missing`: no entry, `NoCatalog`: the catalog is off), and
/// where it prices a request it adds to `agentgateway_gen_ai_client_cost_usd_total` (from v1.4.0).
/// Per gateway: the lookups in the period (exact counter increases) and the share it could not
/// price; and for a gateway with usage but no cost counter, why: its build predates the counter,
/// its catalog is off, or it prices none of the models.
public struct GatewayPricingView: Sendable, Equatable {
    /// agentgateway's counter of its catalog lookups, by `status`.
    public static let lookupMetric = "agentgateway_cost_catalog_lookups_total"
    /// The first release with the cost counter.
    static let firstCostRelease = [1, 4, 0]

    public struct Row: Sendable, Equatable {
        public let gateway: String
        /// Lookups per status in the period, by the status as exported (`Exact`, `Unpriced`, …).
        public let lookups: [String: Int64]
        /// Our own tokens of models without a price on this gateway.
        public let ourUnpricedTokens: Int64

        public var total: Int64 { lookups.values.reduce(0, +) }
        /// Lookups of a status, whatever its case (`NoCatalog`, `noCatalog`).
        public func count(_ status: String) -> Int64 {
            lookups.filter { $0.key.lowercased() == status.lowercased() }.values.reduce(0, +)
        }
        /// The share of lookups the gateway could not price (0…1), `nil` without lookups.
        public var unpricedShare: Double? {
            total == 0 ? nil : Double(total - count("exact")) / Double(total)
        }
    }

    /// A gateway with usage and no cost counter, and why (only where its build or lookups tell).
    public struct Missing: Sendable, Equatable {
        public let gateway: String
        public let reason: String
    }

    public var rows: [Row] = []
    public var withoutCost: [Missing] = []

    public init(rows: [Row] = [], withoutCost: [Missing] = []) {
        self.rows = rows
        self.withoutCost = withoutCost
    }

    /// The view of the gateways with usage (`usage`: our unpriced tokens per gateway, 0 when all
    /// priced), from the lookups per gateway and status, the gateways that export a cost counter
    /// and the builds per gateway.
    package static func of(
        usage: [String: Int64], lookups: [String: [String: Int64]], costGateways: Set<String>,
        builds: [String: Set<String>]
    ) -> GatewayPricingView {
        var view = GatewayPricingView()
        view.rows = lookups.keys.sorted().map {
            Row(gateway: $0, lookups: lookups[$0] ?? [:], ourUnpricedTokens: usage[$0] ?? 0)
        }
        for gateway in usage.keys.sorted() where !costGateways.contains(gateway) {
            guard let reason = reason(row: view.rows.first { $0.gateway == gateway }, tags: builds[gateway] ?? [])
            else { continue }
            view.withoutCost.append(Missing(gateway: gateway, reason: reason))
        }
        return view
    }

    /// Why a gateway exports no cost counter; `nil` when neither its build nor its lookups tell.
    static func reason(row: Row?, tags: Set<String>) -> String? {
        let old = tags.filter { isBeforeCostCounter($0) == true }.sorted()
        if !old.isEmpty, old.count == tags.count {
            return "its build \(old.joined(separator: ", ")) predates the cost counter (agentgateway v1.4.0)"
        }
        if let row, row.count("noCatalog") > 0 {
            return "its model catalog is off (\(row.count("noCatalog")) of \(row.total) lookups found no catalog)"
        }
        if let row, row.total > 0, row.count("exact") == 0 {
            return "its catalog prices none of its requests (\(row.count("missing")) lookups without an entry, "
                + "\(row.count("unpriced")) without rates)"
        }
        if tags.isEmpty { return nil }
        return "its build \(tags.sorted().joined(separator: ", ")) has the counter; no request was priced in the period"
    }

    /// Whether a build tag is before v1.4.0; `nil` when it is not a version.
    static func isBeforeCostCounter(_ tag: String) -> Bool? {
        let core = tag.drop { $0 == "v" }.prefix { $0.isNumber || $0 == "." }
        let parts = core.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        let padded = Array((parts + [0, 0, 0]).prefix(3))
        return padded.lexicographicallyPrecedes(firstCostRelease)
    }
}
