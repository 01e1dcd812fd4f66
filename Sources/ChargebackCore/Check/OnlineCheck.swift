import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// What `validate --online` found: label values seen in Prometheus that the files do not cover.
public struct OnlineCheckResult: Sendable, Equatable {
    /// Series of the token metric seen in the window.
    public let series: Int
    /// Models (after the fallback label) that no price entry matches.
    public let unpricedModels: [String]
    /// Usage keys no team rule maps, as `gateway model token_type`.
    public let unmappedUsage: [String]
    /// Models with series in the window before their first price starts: `report` refuses those hours.
    public var pricedTooLate: [LatePrice] = []
    /// agentgateway build tags seen (`agentgateway_build_info`), each with its scrape targets.
    public var versions: [String: [String]] = [:]
    /// The gateways (values of the gateway label) of the series seen.
    public var gateways: [String] = []
    /// Per provider seen, whether `input` is taken to include cache tokens now, by which rule and
    /// on which builds.
    public var conventions: [String] = []
    /// Configured rules that say "excludes" for usage from builds after v1.4.1.
    public var conventionWarnings: [String] = []
    /// Configured label names no series carries, with what to use instead.
    public var labelHints: [String] = []
    /// Team rules that take none of the series seen (and no earlier rule shadows).
    public var idleRules: [TeamRule] = []
    /// Directory identities no series of the window carries, sorted.
    public var unseenIdentities: [String] = []
    /// Identities the series carry that the directory does not list (the rules place them), sorted.
    public var unlistedIdentities: [String] = []

    /// A model whose price entry starts after usage of it that Prometheus holds.
    public struct LatePrice: Sendable, Equatable {
        public let model: String
        /// The entry's first `from`.
        public let firstPrice: Date
        /// The start of the window in which its series were seen before that.
        public let seenFrom: Date
    }
}

/// Asks Prometheus which label values exist and checks them against the price book and team rules,
/// and whether each model's usage in the window starts no earlier than its first price.
public enum OnlineCheck {
    /// - Parameter window: the stretch of time to look at (``OnlineCheckWindow``).
    public static func run(
        config: ChargebackConfig, client: any MetricsBackend, window: OnlineCheckWindow
    ) async throws -> OnlineCheckResult {
        let selector = config.metrics.selector(for: config.metrics.tokens)
        let windowStart = window.start
        let now = window.end
        // Split by label where the backend refuses too many series (``SeriesLookup``).
        let lookup = SeriesLookup(client: client, splitLabels: SeriesLookup.splitLabels(config.dimensions))
        var labelSets = try await lookup.series(selector, start: windowStart, end: now)
        // The native histogram of the same tokens (``NativeHistograms``) holds usage too.
        if let native = NativeHistograms.selector(config: config) {
            labelSets += try await lookup.series(native, start: windowStart, end: now)
        }
        guard !labelSets.isEmpty else {
            try await NativeHistogramCheck.check(config: config, client: client, from: windowStart, to: now)
            let hint = try await OnlineHints.selectorSuggestion(
                config: config, client: client, from: windowStart, to: now)
            throw FetchError.noSeries(
                url: client.displayURL, selector: selector, from: windowStart, to: now,
                remedy: (hint.map { ". \($0)" } ?? "") + ". " + window.otherWindowHint)
        }
        let dimensions = config.dimensions
        var unpriced = Set<String>()
        var unmapped = Set<String>()
        var seenIdentities = Set<String>()
        // Priced models whose first price starts inside the window, by that start.
        var startingLate: [Date: Set<String>] = [:]
        for labels in labelSets {
            let key = dimensions.key(for: labels)
            if let first = config.pricing.entry(for: key, dimensions: dimensions)?.prices.first?.from {
                if first > windowStart { startingLate[first, default: []].insert(key.model) }
            } else {
                unpriced.insert(key.model)
            }
            // With `attribution:` the identities are the request log's, on no series.
            if let directory = config.teams.directory, config.attribution == nil {
                let identity = dimensions.value(of: directory.label, in: key)
                seenIdentities.insert(identity)
                if directory.entries[identity] != nil { continue }
            }
            if config.teams.rule(for: { dimensions.value(of: $0, in: key) }) == nil {
                unmapped.insert("\(key.gateway) \(key.model) \(key.tokenType)")
            }
        }
        var late: [OnlineCheckResult.LatePrice] = []
        for (first, models) in startingLate.sorted(by: { $0.key < $1.key }) {
            // Series with samples before the first price: the report would find no price for their hours.
            let before = try await lookup.series(selector, start: windowStart, end: first.addingTimeInterval(-1))
            let used = Set(before.map { dimensions.key(for: $0).model }).intersection(models)
            late += used.sorted().map {
                OnlineCheckResult.LatePrice(model: $0, firstPrice: first, seenFrom: windowStart)
            }
        }
        var result = OnlineCheckResult(
            series: labelSets.count, unpricedModels: unpriced.sorted(),
            unmappedUsage: unmapped.sorted())
        result.pricedTooLate = late
        if let directory = config.teams.directory, config.attribution == nil {
            result.unseenIdentities = Set(directory.entries.keys).subtracting(seenIdentities).sorted()
            result.unlistedIdentities = seenIdentities.subtracting(directory.entries.keys).sorted()
        }
        result.versions = try await OnlineHints.versions(config: config, client: client, from: windowStart, to: now)
            .mapValues { $0.sorted() }
        let conventions = OnlineHints.conventions(
            config: config, labelSets: labelSets, versions: result.versions, now: now)
        result.conventions = conventions.lines
        result.conventionWarnings = conventions.warnings
        result.gateways = Set(labelSets.map { OnlineHints.printable($0[config.metrics.labels.gateway] ?? "") })
            .sorted()
        result.labelHints = OnlineHints.labelSuggestions(config: config, labelSets: labelSets)
        result.idleRules = RuleReach.idle(
            config.teams.rules,
            usage: labelSets.map { labels in
                let key = dimensions.key(for: labels)
                return { dimensions.value(of: $0, in: key) }
            })
        return result
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
            + pricedTooLate.map { late in
                Diagnostic(
                    priceSeverity,
                    "model '\(late.model)' has series between \(DateText.utc(late.seenFrom)) and "
                        + "its first price (from \(DateText.priceStart(late.firstPrice))): no price at the time of use; "
                        + "add an earlier from: date"
                        + (priceSeverity == .warning ? " (those hours are priced at 0)" : ""),
                    at: pricing)
            }
            + unmappedUsage.map { usage in
                Diagnostic(
                    teamSeverity,
                    "usage '\(usage)' matches no team rule"
                        + (teamSeverity == .warning ? " (it will show as Unallocated)" : ""), at: teams)
            }
            + labelHints.map { Diagnostic(.warning, $0, at: .file(config.filePath(role: "config"))) }
            + idleRules.map { rule in
                Diagnostic(
                    .warning,
                    "this rule (\(rule.matchText)) takes none of the \(series) series seen in the window: "
                        + "no usage matches it, or earlier rules take all that does",
                    at: .file(config.filePath(role: "teams"), line: rule.line))
            }
            + newerVersionWarnings(config: config) + directoryWarnings(config: config)
    }
}

extension OnlineCheckResult {
    /// A warning per configured cache rule that says "excludes" for usage from builds after v1.4.1
    /// (under `auto` such builds get their own convention, so only configured rules are named).
    func newerVersionWarnings(config: ChargebackConfig) -> [Diagnostic] {
        conventionWarnings.map { Diagnostic(.warning, $0, at: .file(config.filePath(role: "config"))) }
    }

    /// A warning naming the directory's identities no series carries, and those seen but not listed.
    func directoryWarnings(config: ChargebackConfig) -> [Diagnostic] {
        let file = Diagnostic.Location.file(config.filePath(role: "directory"))
        func sample(_ names: [String]) -> String {
            names.prefix(20).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 20 ? ", …" : "")
        }
        var found: [Diagnostic] = []
        if !unseenIdentities.isEmpty {
            found.append(
                Diagnostic(
                    .warning,
                    "\(unseenIdentities.count) identities of the directory are never seen in the window: "
                        + sample(unseenIdentities), at: file))
        }
        if !unlistedIdentities.isEmpty {
            found.append(
                Diagnostic(
                    .warning,
                    "\(unlistedIdentities.count) identities seen in the window are not in the directory "
                        + "(the rules of teams.yaml place them): " + sample(unlistedIdentities), at: file))
        }
        return found
    }
}
