import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// One PromQL label matcher, `name op "value"`, with the value escaped.
public struct LabelMatcher: Sendable, Equatable {
    public enum Operator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public let name: String
    public let op: Operator
    /// The value as it should compare (a regex for `=~` and `!~`), before escaping.
    public let value: String

    public init(_ name: String, _ op: Operator, _ value: String) {
        self.name = name
        self.op = op
        self.value = value
    }

    /// PromQL text, e.g. `gen_ai_token_type="input"`.
    public var text: String { name + op.rawValue + PromQLLiteral.string(value) }

    /// `metric{matchers}` with the config's extra selector text first (braces optional, as
    /// `metrics.selector` allows), then `extra`; just `metric` when there are none.
    public static func selector(_ metric: String, configured: String, extra: [LabelMatcher]) -> String {
        var inner = configured.trimmingCharacters(in: .whitespacesAndNewlines)
        if inner.hasPrefix("{") && inner.hasSuffix("}") { inner = String(inner.dropFirst().dropLast()) }
        inner = inner.trimmingCharacters(in: .whitespacesAndNewlines)
        if inner.hasSuffix(",") { inner = String(inner.dropLast()).trimmingCharacters(in: .whitespaces) }
        let parts = (inner.isEmpty ? [] : [inner]) + extra.map(\.text)
        return parts.isEmpty ? metric : "\(metric){\(parts.joined(separator: ", "))}"
    }
}
