import Foundation

/// Which field of agentgateway's request log names the identity a request is attributed to
/// (`attribution.identity`), and the label the identities are keyed by in the report.
public enum AttributionIdentity: String, Sendable, CaseIterable {
    /// The `agentgateway_user` column (agentgateway's `agentgateway.user` attribute).
    case user
    /// The `agentgateway_group` column.
    case group
    /// `agw.api_key.name` in `attributes_json`: the name of the API key the request came with.
    case apiKey = "api_key"

    /// The `request_logs` column holding the identity; `nil` for the API key, an attribute inside
    /// `attributes_json` that each SQL dialect reads its own way.
    public var column: String? {
        switch self {
        case .user: "agentgateway_user"
        case .group: "agentgateway_group"
        case .apiKey: nil
        }
    }

    /// The label name the identities appear under (a directory's `label:` names it to place them).
    public var label: String {
        switch self {
        case .user: "agentgateway_user"
        case .group: "agentgateway_group"
        case .apiKey: "agw_api_key_name"
        }
    }
}

/// How a log record meets the counters' series: by gateway, model and token type (the log's
/// `gateway` attribute is the counters' `gateway` label), or by model and token type across
/// gateways (when the counters' gateway label is another, such as the Gateway API name).
public enum AttributionMatch: String, Sendable, CaseIterable {
    case gateway
    case model

    /// The gateway of a cell when records are matched across gateways.
    public static let allGateways = "*"
}

/// The token types of agentgateway's counters the log records: the `input_tokens` and
/// `output_tokens` columns and, in `attributes_json`, `gen_ai.usage.cache_read.input_tokens` and
/// `gen_ai.usage.cache_creation.input_tokens` (the same numbers the counters observe, from one
/// `LLMContext` in agentgateway's `telemetry/log.rs`).
public enum LoggedTokenType {
    public static let all = ["input", "output", "input_cache_read", "input_cache_write"]
}

/// One group of request log records as the reader sums them: an hour bucket of the period (by
/// `completed_at`), the gateway, the models and the identity, with their tokens per
/// ``LoggedTokenType/all`` and, of those, the tokens completed within one scrape interval of the
/// hour's end (which the counters may show in the next hour). Text is the database's, untrusted.
public struct RequestLogRow: Sendable, Equatable {
    public let hour: Int
    public let gateway: String?
    public let requestModel: String?
    public let responseModel: String?
    public let identity: String?
    public let tokens: [Int64]
    public let tail: [Int64]

    public init(
        hour: Int, gateway: String?, requestModel: String?, responseModel: String?, identity: String?,
        tokens: [Int64], tail: [Int64]
    ) {
        self.hour = hour
        self.gateway = gateway
        self.requestModel = requestModel
        self.responseModel = responseModel
        self.identity = identity
        self.tokens = tokens
        self.tail = tail
    }

    /// The cell key this row's tokens of `typeIndex` belong to under the counters' label names:
    /// the model from the column the `model` label reads (`gen_ai_response_model` or else the
    /// request model), its fallback when empty or `unknown`; a missing gateway or model is
    /// `unknown`, as agentgateway's metrics write it.
    public func cell(labels: LabelNames, match: AttributionMatch) -> (gateway: String, model: String) {
        func column(_ label: String) -> String? {
            label == "gen_ai_response_model" ? responseModel : label == "gen_ai_request_model" ? requestModel : nil
        }
        var model = column(labels.model) ?? requestModel ?? ""
        if model.isEmpty || model == "unknown", let fallback = labels.modelFallback.flatMap(column), !fallback.isEmpty {
            model = fallback
        }
        let place = match == .model ? AttributionMatch.allGateways : (gateway ?? "").isEmpty ? "unknown" : gateway!
        return (place, model.isEmpty ? "unknown" : model)
    }
}

/// What a request log reader does: sums the log's records of a period per hour bucket, gateway,
/// models and identity.
public struct RequestLogQuery: Sendable, Equatable {
    /// The period's first instant, seconds since 1970; hour bucket `i` starts `i` hours later.
    public let startSeconds: Int64
    /// The end (exclusive), seconds since 1970.
    public let endSeconds: Int64
    public let identity: AttributionIdentity
    /// The straddling band: tokens completed this many seconds before an hour's end are counted
    /// apart (``RequestLogRow/tail``).
    public let bandSeconds: Int64

    public init(startSeconds: Int64, endSeconds: Int64, identity: AttributionIdentity, bandSeconds: Int64) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.identity = identity
        self.bandSeconds = bandSeconds
    }
}
