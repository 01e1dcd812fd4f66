import ChargebackModel
import Foundation

/// Reads `chargeback.yaml` and the pricing and team files it names.
public enum ConfigLoader {
    /// Loads and cross-checks the three files.
    /// - Parameter path: the config file as the user typed it; relative paths inside it are
    ///   resolved against its folder.
    /// - Throws: ``InputError`` naming file, line and column of the first problem.
    public static func load(path: String) throws -> ChargebackConfig {
        let url = URL(fileURLWithPath: path)
        let (root, data) = try read(url, displayName: path)
        let main = try parseMain(root, base: url.deletingLastPathComponent())
        let (pricing, pricingFile) = try loadReferenced(
            "pricing", from: root, base: url.deletingLastPathComponent(),
            parse: PriceBookParser.parse)
        let (teams, teamsFile) = try loadReferenced(
            "teams", from: root, base: url.deletingLastPathComponent(),
            parse: TeamBookParser.parse)
        try checkAdjustmentTeams(pricing, teams: teams, file: pricingFile.path)
        var book = teams
        var files = [InputFileRecord(role: "config", path: path, contents: data), pricingFile, teamsFile]
        if let node = try root.optional("directory") {
            let loaded = try DirectoryParser.load(
                node, base: url.deletingLastPathComponent(), zone: main.timeZone, teams: teams)
            if let first = loaded.problems.first {
                throw loaded.problems.count == 1
                    ? first
                    : InputError(
                        file: first.file, line: first.line, column: first.column,
                        first.message + " (and \(loaded.problems.count - 1) more problems; run 'chargeback validate')")
            }
            book.directory = loaded.directory
            files.append(loaded.record)
        }
        var config = ChargebackConfig(
            prometheus: main.prometheus, metrics: main.metrics, pricing: pricing, teams: book, timeZone: main.timeZone,
            thresholds: main.thresholds, gapFactor: main.gapFactor, files: files, mail: main.mail, store: main.store)
        config.billing = main.billing
        config.currency = main.currency
        config.attribution = main.attribution
        if let attribution = main.attribution, let directory = book.directory, directory.label != attribution.label {
            let node = try root.required("directory").required("label")
            throw node.error(
                "the directory places the request log's identities by \(attribution.label) (attribution.identity: "
                    + "\(attribution.identity.rawValue)); set label: \(attribution.label)")
        }
        if let node = try root.optional("identities") {
            config.identities = try IdentitySettings.parse(node)
            if config.identities.pseudonymize, let key = config.identities.key, case .file(let file) = key {
                config.identities.key = .file(resolve(file, against: url.deletingLastPathComponent()))
            }
        }
        return config
    }

    /// Checks the three files independently and returns every problem found (at most one per
    /// file, since a file is read top to bottom), for `chargeback validate`.
    public static func problems(path: String) -> [InputError] {
        let url = URL(fileURLWithPath: path)
        let root: YAMLValue
        do {
            root = try read(url, displayName: path).0
        } catch {
            return [Self.inputError(error)]
        }
        let base = url.deletingLastPathComponent()
        var problems: [InputError] = []
        func collect(_ body: () throws -> Void) {
            do { try body() } catch { problems.append(Self.inputError(error)) }
        }
        collect { _ = try parseMain(root, base: base) }
        collect { _ = try root.optional("identities").map(IdentitySettings.parse) }
        collect { _ = try loadReferenced("pricing", from: root, base: base, parse: PriceBookParser.parse) }
        collect {
            let teams = try loadReferenced("teams", from: root, base: base, parse: TeamBookParser.parse).0
            guard let node = try root.optional("directory") else { return }
            let zone = try root.optional("timezone").map(parseTimeZone) ?? TimeZone(identifier: "UTC")!
            problems += try DirectoryParser.load(node, base: base, zone: zone, teams: teams).problems
        }
        return problems
    }

    /// Every team an adjustment's `allocate` names must be a team of `teams.yaml`.
    static func checkAdjustmentTeams(_ pricing: PriceBook, teams: TeamBook, file: String) throws {
        let known = Set(teams.teams.map(\.name))
        for charge in pricing.adjustments.fixed + pricing.adjustments.credits {
            let named: [String]
            switch charge.spread {
            case .team(let team): named = [team]
            case .weights(let table): named = table.keys.sorted()
            case .even, .proportional: named = []
            }
            for team in named where !known.contains(team) {
                throw InputError(
                    file: file, line: charge.line,
                    "adjustment '\(charge.name)' allocates to unknown team "
                        + "'\(team)'; teams are: \(teams.teams.map(\.name).joined(separator: ", "))")
            }
        }
    }

    private static func inputError(_ error: Error) -> InputError {
        error as? InputError ?? InputError(file: nil, (error as? LocalizedError)?.errorDescription ?? "\(error)")
    }

    /// The settings of `chargeback.yaml` itself.
    package struct MainSettings {
        package let prometheus: PrometheusSettings
        package let metrics: MetricSettings
        package let timeZone: TimeZone
        package let thresholds: Thresholds
        package let gapFactor: Double
        package let mail: MailSettings?
        package var billing = BillingSettings()
        package var currency = CurrencySettings()
        package let store: StoreSettings?
        package var attribution: AttributionSettings?
    }

    package static func parseMain(_ root: YAMLValue, base: URL) throws -> MainSettings {
        try root.allowKeys([
            "prometheus", "metrics", "pricing", "teams", "timezone", "thresholds", "gaps", "mail",
            "invoices", "reconcile", "allocation", "store", "currency", "exchange_rates", "directory",
            "identities", "attribution",
        ])
        let prometheus = try PrometheusSettingsParser.parse(root.required("prometheus"), base: base)
        let metrics = try parseMetrics(root.optional("metrics"))
        let timeZone = try root.optional("timezone").map(parseTimeZone) ?? TimeZone(identifier: "UTC")!
        let thresholds = try parseThresholds(root.optional("thresholds"))
        let gapFactor =
            try root.optional("gaps").map { gaps -> Double in
                try gaps.allowKeys(["factor"])
                guard let factor = try gaps.optional("factor") else { return 1.5 }
                let value = try NSDecimalNumber(decimal: factor.decimal()).doubleValue
                guard value > 1 else { throw factor.error("must be greater than 1") }
                return value
            } ?? 1.5
        let mail = try root.optional("mail").map { try MailSettingsParser.parse($0, base: base) }
        let store = try root.optional("store").map { try StoreSettingsParser.parse($0, base: base) }
        var settings = MainSettings(
            prometheus: prometheus, metrics: metrics, timeZone: timeZone,
            thresholds: thresholds, gapFactor: gapFactor, mail: mail, store: store)
        settings.billing = try BillingSettingsParser.parse(root, base: base)
        settings.currency = try CurrencySettingsParser.parse(root)
        settings.attribution = try root.optional("attribution").map { try AttributionSettings.parse($0, base: base) }
        return settings
    }

    /// Reads and parses the file that `key` of the config names.
    private static func loadReferenced<T>(
        _ key: String, from root: YAMLValue, base: URL,
        parse: (YAMLValue) throws -> T
    ) throws -> (T, InputFileRecord) {
        let node = try root.required(key)
        let path = resolve(try node.string(), against: base)
        let (fileRoot, data) = try read(URL(fileURLWithPath: path), displayName: path, referencedBy: node)
        return (try parse(fileRoot), InputFileRecord(role: key, path: path, contents: data))
    }

    /// A path from a config value, made absolute against the config file's folder.
    static func resolve(_ path: String, against base: URL) -> String {
        if path.hasPrefix("/") { return path }
        return base.appendingPathComponent(path).standardizedFileURL.path
    }

    /// An IANA time zone name.
    static func parseTimeZone(_ value: YAMLValue) throws -> TimeZone {
        let name = try value.string()
        guard let zone = TimeZone(identifier: name) else {
            throw value.error("unknown time zone '\(name)'; use an IANA name such as Europe/Berlin or UTC")
        }
        return zone
    }

    private static func read(_ url: URL, displayName: String, referencedBy: YAMLValue? = nil) throws -> (
        YAMLValue, Data
    ) {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let why = FileManager.default.fileExists(atPath: url.path) ? "cannot be read" : "does not exist"
            if let referencedBy { throw referencedBy.error("the file \(displayName) \(why)") }
            throw InputError(file: displayName, "the file \(why); pass the path of your chargeback.yaml with --config")
        }
        return (try parse(data, displayName: displayName), data)
    }

    /// The root value of one of our YAML files from its bytes (the seam the fuzz targets use).
    package static func parse(_ data: Data, displayName: String) throws -> YAMLValue {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: displayName, "the file is not UTF-8 text")
        }
        return try YAMLValue.parse(text, file: displayName)
    }

    private static func parseMetrics(_ node: YAMLValue?) throws -> MetricSettings {
        var metrics = MetricSettings()
        guard let node else { return metrics }
        try node.allowKeys([
            "tokens", "requests", "cost", "selector", "labels", "input_includes_cache", "dedupe_labels",
        ])
        if let value = try node.optional("tokens") { metrics.tokens = try metricName(value) }
        if let value = try node.optional("requests") { metrics.requests = try metricName(value) }
        if let value = try node.optional("cost") { metrics.cost = try metricName(value) }
        if let value = try node.optional("selector") {
            let text = try value.string()
            guard PromQLText.isSelectorMatchers(text) else {
                throw value.error("expected label matchers like '{namespace=\"kgateway-system\"}'")
            }
            metrics.selector = text
        }
        if let labels = try node.optional("labels") {
            try labels.allowKeys(["gateway", "model", "model_fallback", "token_type", "system", "response_model"])
            if let value = try labels.optional("gateway") { metrics.labels.gateway = try labelName(value) }
            if let value = try labels.optional("model") { metrics.labels.model = try labelName(value) }
            if let value = try labels.optional("model_fallback") { metrics.labels.modelFallback = try labelName(value) }
            if let value = try labels.optional("response_model") { metrics.labels.responseModel = try labelName(value) }
            if let value = try labels.optional("token_type") { metrics.labels.tokenType = try labelName(value) }
            if let value = try labels.optional("system") { metrics.labels.system = try labelName(value) }
        }
        if let cache = try node.optional("input_includes_cache") {
            metrics.inputIncludesCache = try CacheRulesParser.parse(cache)
        }
        if let dedupe = try node.optional("dedupe_labels") {
            metrics.dedupeLabels = try dedupe.items().map(labelName)
        }
        return metrics
    }

    private static func metricName(_ value: YAMLValue) throws -> String {
        let name = try value.string()
        guard PromQLText.isMetricName(name) else { throw value.error("'\(name)' is not a Prometheus metric name") }
        return name
    }

    private static func labelName(_ value: YAMLValue) throws -> String {
        let name = try value.string()
        guard PromQLText.isLabelName(name) else { throw value.error("'\(name)' is not a Prometheus label name") }
        return name
    }

    private static func parseThresholds(_ node: YAMLValue?) throws -> Thresholds {
        guard let node else { return Thresholds() }
        try node.allowKeys(["daily_usd", "weekly_usd", "monthly_usd", "hourly_projection_usd_per_day"])
        func amount(_ key: String) throws -> Decimal? {
            guard let value = try node.optional(key) else { return nil }
            let amount = try value.decimal()
            guard amount >= 0 else { throw value.error("must be 0 (every cost exceeds it) or a positive amount") }
            return amount
        }
        return Thresholds(
            daily: try amount("daily_usd"), weekly: try amount("weekly_usd"),
            monthly: try amount("monthly_usd"),
            hourlyProjectionPerDay: try amount("hourly_projection_usd_per_day"))
    }
}

/// Checks on PromQL identifiers we splice into queries.
enum PromQLText {
    static func isMetricName(_ text: String) -> Bool {
        text.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*$"#, options: .regularExpression) != nil
    }

    static func isLabelName(_ text: String) -> Bool {
        text.range(of: #"^[a-zA-Z_][a-zA-Z0-9_]*$"#, options: .regularExpression) != nil
    }

    /// Whether `text` is a list of label matchers, with or without braces. Quoted values may hold anything.
    static func isSelectorMatchers(_ text: String) -> Bool {
        let matcher = #"\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*"#
        let list = "(\(matcher)(,\(matcher))*,?\\s*)?"
        return text.range(of: "^\\s*(\\{\(list)\\}|\(list))\\s*$", options: .regularExpression) != nil
    }
}
