import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// agentgateway's cost-catalog lookup counter as the fetch reads it (``GatewayPricingView`` shows it),
/// and which builds each gateway runs, from the build tags per scrape target.
package enum CatalogLookups {
    /// The lookup counter, as agentgateway registers it (`cost_catalog_lookups` under its prefix).
    static let metric = GatewayPricingView.lookupMetric

    /// The build tags per gateway, from the tags per scrape target (``OnlineHints/versions``) and
    /// the token series' gateway and target (`pod`, else `instance`).
    package static func gatewayBuilds(_ tags: [String: Set<String>], series: [[String: String]], gatewayLabel: String)
        -> [String: Set<String>]
    {
        var byPlace: [String: Set<String>] = [:]
        for labels in series {
            guard let place = labels["pod"] ?? labels["instance"] else { continue }
            byPlace[place, default: []].insert(labels[gatewayLabel] ?? "")
        }
        // Each place made printable once, not once per series.
        var targets: [String: Set<String>] = [:]
        for (place, gateways) in byPlace { targets[OnlineHints.printable(place), default: []].formUnion(gateways) }
        var builds: [String: Set<String>] = [:]
        for (tag, places) in tags {
            for place in places {
                for gateway in targets[place] ?? [] { builds[gateway, default: []].insert(tag) }
            }
        }
        return builds
    }
}
