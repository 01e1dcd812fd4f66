import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// A recording rule: a name and the PromQL whose value Prometheus stores under it.
public struct RecordingRule: Sendable, Equatable {
    public let record: String
    public let expr: String
}

/// An alerting rule: a threshold, a `for` duration, a severity and text.
public struct AlertRule: Sendable, Equatable {
    public let alert: String
    public let expr: String
    /// Prometheus duration text, e.g. `5m`.
    public let forDuration: String
    public let severity: String
    public let summary: String
    /// Alertmanager text; a Prometheus template that lists the per-gateway breakdown.
    public let description: String
}

/// One rule of a group.
public enum Rule: Sendable, Equatable {
    case recording(RecordingRule)
    case alert(AlertRule)
}

/// A Prometheus rule group, evaluated in order every `interval`.
public struct RuleGroup: Sendable, Equatable {
    public let name: String
    public let interval: String
    public let rules: [Rule]
}

/// The generated rules with what a reader of the file should know.
public struct RuleSet: Sendable, Equatable {
    public let groups: [RuleGroup]
    /// Comment lines for the top of the file (without `#`).
    public let header: [String]
    /// Problems worth a warning, e.g. a price entry with no price in force (on the pricing file).
    public let diagnostics: [Diagnostic]

    /// Every recording rule, in file order.
    public var recordingRules: [RecordingRule] {
        groups.flatMap(\.rules).compactMap { if case .recording(let rule) = $0 { rule } else { nil } }
    }

    /// Every alerting rule, in file order.
    public var alerts: [AlertRule] {
        groups.flatMap(\.rules).compactMap { if case .alert(let rule) = $0 { rule } else { nil } }
    }

    /// The expression recorded under `name`, if the set defines it.
    public func expression(of name: String) -> String? {
        recordingRules.first { $0.record == name }?.expr
    }
}
