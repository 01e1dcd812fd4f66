import Foundation

/// A problem with a file or flag the user gave us. The command exits with 64.
///
/// The message always names the file and, where the YAML parser knows it, the line and column.
public struct InputError: Error, LocalizedError, Equatable, Sendable {
    /// The file the problem is in, as the user named it (or `nil` for a flag).
    public let file: String?
    /// 1-based line and column, when known.
    public let line: Int?
    public let column: Int?
    /// What is wrong and, where useful, what to do.
    public let message: String

    public init(file: String?, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, in the style compilers use so editors can jump to it.
    public var errorDescription: String? {
        var place = file ?? ""
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// Several input problems found at once (by `validate`), reported together.
public struct InputErrors: Error, LocalizedError, Sendable {
    public let errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    public var errorDescription: String? {
        errors.map { $0.errorDescription ?? $0.message }.joined(separator: "\n")
    }
}

extension InputError: ExitCodeError {
    public var exitCode: Int32 { ExitStatus.inputError }
    public var diagnostics: [Diagnostic] { [diagnostic] }

    /// The error as a located diagnostic.
    public var diagnostic: Diagnostic {
        Diagnostic(.error, message, at: file.map { .file($0, line: line, column: column) })
    }

    /// The input error a diagnostic describes (its file, line and column, if it has them).
    public init(diagnostic: Diagnostic) {
        if case .file(let path, let line, let column) = diagnostic.location {
            self.init(file: path, line: line, column: column, diagnostic.message)
        } else {
            self.init(file: nil, diagnostic.location.map { "\($0): \(diagnostic.message)" } ?? diagnostic.message)
        }
    }
}

extension InputErrors: ExitCodeError {
    public var exitCode: Int32 { ExitStatus.inputError }
    public var diagnostics: [Diagnostic] { errors.map(\.diagnostic) }
}
