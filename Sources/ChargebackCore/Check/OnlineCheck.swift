import Foundation

/// What `validate --online` found: label values seen in Prometheus that the files do not cover.
public struct OnlineCheckResult: Sendable, Equatable {
    /// Series of the token metric seen in the window.
    public let series: Int
    /// Models (after the fallback label) that no price entry matches.
    public let unpricedModels: [String]
    /// Usage keys no team rule maps, as `gateway model token_type`.
    public let unmappedUsage: [String]
}

/// Asks Prometheus which label values exist and checks them against the price book and team rules.
public enum OnlineCheck {
    /// - Parameter days: how far back to look (default 30).
    public static func run(config: ChargebackConfig, client: PrometheusClient, now: Date = Date(),
                           days: Int = 30) async throws -> OnlineCheckResult {
        let selector = config.metrics.selector(for: config.metrics.tokens)
        let start = now.addingTimeInterval(-Double(days) * 86400)
        let labelSets = try await client.series(selector, start: start, end: now)
        guard !labelSets.isEmpty else {
            throw FetchError.noSeries(url: client.displayURL, selector: selector, from: start, to: now, remedy: "")
        }
        let dimensions = UsageDimensions(labels: config.metrics.labels, extraLabels: config.teams.extraLabelKeys)
        var unpriced = Set<String>(), unmapped = Set<String>()
        for labels in labelSets {
            let key = dimensions.key(for: labels)
            if config.pricing.entry(for: key.model) == nil { unpriced.insert(key.model) }
            if config.teams.rule(for: { dimensions.value(of: $0, in: key) }) == nil {
                unmapped.insert("\(key.gateway) \(key.model) \(key.tokenType)")
            }
        }
        return OnlineCheckResult(series: labelSets.count, unpricedModels: unpriced.sorted(), unmappedUsage: unmapped.sorted())
    }
}

extension OnlineCheckResult {
    /// The findings as diagnostics on the file that should cover them: errors where that file says
    /// `unpriced: error` or `unallocated: error`, warnings otherwise.
    public func diagnostics(config: ChargebackConfig) -> [Diagnostic] {
        let pricing = Diagnostic.Location.file(config.filePath(role: "pricing"))
        let teams = Diagnostic.Location.file(config.filePath(role: "teams"))
        let priceSeverity: Diagnostic.Severity = config.pricing.unpriced == .error ? .error : .warning
        let teamSeverity: Diagnostic.Severity = config.teams.unallocated == .error ? .error : .warning
        return unpricedModels.map {
            Diagnostic(priceSeverity, "model '\($0)' is used but no price matches it", at: pricing)
        }
            + unmappedUsage.map { usage in
                Diagnostic(teamSeverity, "usage '\(usage)' matches no team rule"
                           + (teamSeverity == .warning ? " (it will show as Unallocated)" : ""), at: teams)
            }
    }
}
