import Foundation

/// A problem or notable fact found by any stage, with where it is: what `validate` lists, what a
/// report shows in its data-quality section and the manifest, and what the front end prints.
public struct Diagnostic: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        /// Worth knowing; changes nothing.
        case note
        /// The result stands but may not be what was meant (usage priced at zero, a gap).
        case warning
        /// The run cannot give a correct result (an input file that does not parse).
        case error

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Where a diagnostic points: a place in an input file, a series or a query.
    public enum Location: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// A file as the user named it, with a 1-based line and column when known.
        case file(String, line: Int? = nil, column: Int? = nil)
        /// A series, by its labels as PromQL writes them.
        case series(String)
        /// A PromQL query.
        case query(String)

        /// `file:line:column`, `series {…}` or `query …`.
        public var description: String {
            switch self {
            case .file(let path, let line, let column):
                path + (line.map { ":\($0)" } ?? "") + (line != nil ? column.map { ":\($0)" } ?? "" : "")
            case .series(let labels): "series \(labels)"
            case .query(let promql): "query \(promql)"
            }
        }
    }

    public let severity: Severity
    public let message: String
    public let location: Location?

    public init(_ severity: Severity, _ message: String, at location: Location? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func note(_ message: String, at location: Location? = nil) -> Diagnostic {
        Diagnostic(.note, message, at: location)
    }

    public static func warning(_ message: String, at location: Location? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    public static func error(_ message: String, at location: Location? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    /// `location: message`, or the message alone, in the style compilers use so editors can jump to it.
    public var description: String {
        guard let location else { return message }
        let place = location.description
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
