import ChargebackModel
import Foundation

/// The Markdown of the gateways' own view of pricing (``GatewayPricingView``): their catalog
/// lookups and unpriced share next to our unpriced tokens, and why a gateway has no cost counter.
enum MarkdownPricingView {
    /// `name`, with the reason it has no cost counter when known.
    static func named(_ name: String, _ view: GatewayPricingView) -> String {
        view.withoutCost.first { $0.gateway == name }.map { "\(name) (\($0.reason))" } ?? name
    }

    /// The `catalogLookups` rows and `hasCatalogLookups`.
    static func context(_ view: GatewayPricingView) -> [String: Any] {
        let rows: [[String: Any]] = view.rows.map { row in
            [
                "gateway": row.gateway, "total": Formatting.count(row.total),
                "exact": Formatting.count(row.count("exact")), "unpriced": Formatting.count(row.count("unpriced")),
                "missing": Formatting.count(row.count("missing")),
                "noCatalog": Formatting.count(row.count("noCatalog")),
                "share": row.unpricedShare.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a",
                "ours": Formatting.count(row.ourUnpricedTokens),
            ]
        }
        return ["catalogLookups": rows, "hasCatalogLookups": !rows.isEmpty]
    }
}
