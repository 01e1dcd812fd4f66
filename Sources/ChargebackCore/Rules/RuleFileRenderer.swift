import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation
import Yams

/// Writes a ``RuleSet`` as YAML: a plain Prometheus rule file, or a `PrometheusRule` object for
/// the Prometheus Operator (kube-prometheus-stack). The text is deterministic for a given input.
public enum RuleFileRenderer {
    /// The `metadata` of the `PrometheusRule`.
    public struct Metadata: Sendable {
        public var name = "agentgateway-cost"
        public var namespace = "monitoring"
        public init() {}
    }

    /// The YAML text.
    /// - Parameter plain: `true` for a rule file (`groups:` at the top, for `rule_files` and
    ///   `promtool`); `false` for a `monitoring.coreos.com/v1` `PrometheusRule`.
    public static func render(_ rules: RuleSet, plain: Bool, metadata: Metadata = Metadata()) throws -> String {
        let groups = Node.sequence(.init(rules.groups.map(group)))
        let root: Node
        if plain {
            root = mapping([("groups", groups)])
        } else {
            root = mapping([
                ("apiVersion", text("monitoring.coreos.com/v1")),
                ("kind", text("PrometheusRule")),
                (
                    "metadata",
                    mapping([
                        ("name", text(metadata.name)),
                        ("namespace", text(metadata.namespace)),
                        (
                            "labels",
                            mapping([
                                ("app.kubernetes.io/name", text("agentgateway-cost")),
                                ("app.kubernetes.io/managed-by", text("chargeback")),
                            ])
                        ),
                    ])
                ),
                ("spec", mapping([("groups", groups)])),
            ])
        }
        let body = try Yams.serialize(node: root, indent: 2, width: -1, allowUnicode: true)
        let comment = rules.header.map { $0.isEmpty ? "#" : "# \($0)" }.joined(separator: "\n")
        return comment + "\n" + body
    }

    private static func group(_ group: RuleGroup) -> Node {
        mapping([
            ("name", text(group.name)),
            ("interval", text(group.interval)),
            ("rules", .sequence(.init(group.rules.map(rule)))),
        ])
    }

    private static func rule(_ rule: Rule) -> Node {
        switch rule {
        case .recording(let recording):
            return mapping([("record", text(recording.record)), ("expr", text(recording.expr))])
        case .alert(let alert):
            return mapping([
                ("alert", text(alert.alert)),
                ("expr", text(alert.expr)),
                ("for", text(alert.forDuration)),
                ("labels", mapping([("severity", text(alert.severity))])),
                ("annotations", mapping([("summary", text(alert.summary)), ("description", text(alert.description))])),
            ])
        }
    }

    private static func mapping(_ pairs: [(String, Node)]) -> Node {
        .mapping(.init(pairs.map { (text($0.0), $0.1) }))
    }

    /// A string scalar: literal block style when it spans lines, quoted when YAML would read it
    /// as something other than a string (a number, `true`, `null`), plain otherwise.
    private static func text(_ value: String) -> Node {
        if value.contains("\n") { return .scalar(.init(value, .init(.str), .literal)) }
        let style: Node.Scalar.Style = Resolver.default.resolveTag(of: Node(value)) == .str ? .any : .doubleQuoted
        return .scalar(.init(value, .init(.str), style))
    }
}
