import Foundation

/// A recoverable problem or notable fact found while making a report, shown together at the end
/// and in the report's data-quality section.
public struct Diagnostic: Sendable, Equatable, Hashable {
    public enum Severity: String, Sendable, Comparable {
        case note, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .note && b == .warning }
    }

    public let severity: Severity
    public let message: String

    public init(_ severity: Severity, _ message: String) {
        self.severity = severity
        self.message = message
    }

    public static func warning(_ message: String) -> Diagnostic { Diagnostic(.warning, message) }
    public static func note(_ message: String) -> Diagnostic { Diagnostic(.note, message) }
}
