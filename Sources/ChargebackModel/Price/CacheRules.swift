import Foundation

/// One `metrics.input_includes_cache` rule: whether the `input` counter of the usage it matches
/// already contains the cache-read and cache-write tokens.
public struct CacheRule: Sendable, Hashable {
    /// Label globs that must all match. Keys are logical names (`gateway`, `model`, `token_type`,
    /// `system`) or raw label names; an empty match matches everything.
    public let match: [String: Glob]
    /// The rule applies to hours starting at or after this instant; `nil`: to every hour.
    public let from: Date?
    /// Whether `input` includes the cache tokens (they are then subtracted before pricing).
    public let includes: Bool
    /// Where the rule is written (`chargeback.yaml:31`), or which built-in default it is.
    public let origin: String
    /// The file, line and column of the rule, for diagnostics; `nil` for a built-in default.
    public let location: Diagnostic.Location?

    public init(
        match: [String: Glob], from: Date? = nil, includes: Bool, origin: String,
        location: Diagnostic.Location? = nil
    ) {
        self.match = match
        self.from = from
        self.includes = includes
        self.origin = origin
        self.location = location
    }

    /// Whether every glob matches the dimension of the same name in `attributes`.
    public func matches(_ attributes: (String) -> String) -> Bool {
        match.allSatisfy { key, glob in glob.matches(attributes(key)) }
    }

    /// Whether the rule is in force for an hour starting at `hourStart`.
    public func inForce(at hourStart: Date) -> Bool {
        from.map { hourStart >= $0 } ?? true
    }

    /// `{system: anthropic} from 2026-11-15: excludes (chargeback.yaml:31)`, for reports and messages.
    public var description: String {
        let labels = match.keys.sorted().map { "\($0): \(match[$0]!.pattern)" }.joined(separator: ", ")
        let since = from.map { " from \(DateText.utc($0))" } ?? ""
        return "{\(labels)}\(since): \(includes ? "includes" : "excludes") (\(origin))"
    }
}

/// The ordered `input_includes_cache` rules: the first configured rule that matches a key and is
/// in force at an hour decides; when none does, agentgateway's own convention through v1.4.x
/// (``agentgatewayDefaults``) decides.
public struct CacheRules: Sendable, Equatable {
    /// The configured rules, in file order.
    public let rules: [CacheRule]

    public init(_ rules: [CacheRule] = []) {
        self.rules = rules
    }

    /// agentgateway through v1.4.x, by upstream wire format: Messages-format upstreams
    /// (`anthropic`, `aws.bedrock`, Claude on `gcp.vertex_ai`) count cache tokens outside `input`;
    /// OpenAI-format ones (`openai`, `azure`, `azure.openai`, `gcp.gemini`, other Vertex models)
    /// and everything else count them inside it.
    public static let agentgatewayDefaults: [CacheRule] = {
        func rule(_ match: [String: String], _ includes: Bool) -> CacheRule {
            CacheRule(match: match.mapValues { Glob($0) }, includes: includes, origin: "agentgateway v1.4.x default")
        }
        return [
            rule(["system": "anthropic"], false),
            rule(["system": "aws.bedrock"], false),
            rule(["system": "gcp.vertex_ai", "model": "claude*"], false),
            rule(["system": "openai"], true),
            rule(["system": "azure"], true),
            rule(["system": "azure.openai"], true),
            rule(["system": "gcp.gemini"], true),
            rule(["system": "gcp.vertex_ai"], true),
            rule([:], true),
        ]
    }()

    /// agentgateway after v1.4.1 (PR #2880): `input` includes cache reads and writes for every
    /// provider. Applied instead of the v1.4.x defaults where the build info says the hour's tokens
    /// came from such builds.
    public static let agentgatewayAfterV141 = CacheRule(
        match: [:], includes: true,
        origin: "agentgateway after v1.4.1, by agentgateway_build_info")

    /// The configured rules followed by the defaults: the full list resolution walks.
    public var effective: [CacheRule] { rules + Self.agentgatewayDefaults }

    /// Whether a configured rule matches everything at every hour, so the defaults never decide.
    public var hasCatchAll: Bool { rules.contains { $0.match.isEmpty && $0.from == nil } }

    /// The rule that decides for the usage with `attributes` in the hour starting at `hourStart`.
    public func rule(for attributes: (String) -> String, at hourStart: Date) -> CacheRule {
        effective.first { $0.inForce(at: hourStart) && $0.matches(attributes) }!
    }

    /// The rules that can decide for `attributes` at some hour, in order, ending with the first
    /// one that has no start date (so it decides whenever the earlier ones are not in force).
    public func candidates(for attributes: (String) -> String) -> [CacheRule] {
        var list: [CacheRule] = []
        for rule in effective where rule.matches(attributes) {
            list.append(rule)
            if rule.from == nil { break }
        }
        return list
    }

    /// Label keys the configured rules look at beyond the four logical dimensions.
    public var extraLabelKeys: [String] {
        let logical: Set<String> = ["gateway", "model", "token_type", "system"]
        return Set(rules.flatMap(\.match.keys)).subtracting(logical).sorted()
    }
}

/// How one cache rule was used in a period: what a report shows under its method.
public struct CacheRuleUse: Sendable, Equatable {
    public let rule: CacheRule
    /// The `input` usage keys (gateway, model, provider, extra labels) it decided for at least one hour.
    public let keys: Int
    /// Key-hours with `input` or cache tokens that it decided.
    public let hours: Int
    /// Tokens it took out of `input` (zero for a rule that excludes).
    public let tokensExcluded: Int64

    public init(rule: CacheRule, keys: Int, hours: Int, tokensExcluded: Int64) {
        self.rule = rule
        self.keys = keys
        self.hours = hours
        self.tokensExcluded = tokensExcluded
    }
}
