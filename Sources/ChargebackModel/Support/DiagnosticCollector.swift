import Foundation

/// Where every stage of a run puts its diagnostics, in the order they were found; the front end
/// prints them and the report shows them. Safe to share between tasks.
public final class DiagnosticCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []

    public init() {}

    /// Adds one diagnostic.
    public func emit(_ diagnostic: Diagnostic) {
        lock.withLock { items.append(diagnostic) }
    }

    /// Adds several, in order.
    public func emit(contentsOf diagnostics: some Sequence<Diagnostic>) {
        lock.withLock { items.append(contentsOf: diagnostics) }
    }

    /// Everything emitted so far, in order.
    public var all: [Diagnostic] { lock.withLock { items } }

    /// Whether an error was emitted.
    public var hasErrors: Bool { lock.withLock { items.contains { $0.severity == .error } } }

    /// The errors emitted so far as one ``InputErrors`` to throw, `nil` when there are none.
    public func inputErrors() -> InputErrors? {
        let errors = all.filter { $0.severity == .error }.map(InputError.init(diagnostic:))
        return errors.isEmpty ? nil : InputErrors(errors)
    }
}
