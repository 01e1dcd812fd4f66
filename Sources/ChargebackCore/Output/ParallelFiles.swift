import ChargebackRender
import Foundation

/// Renders a report's files side by side (one per core at a time) into a ``StagedOutput``: every
/// name is staged first, in the given order, so the manifest lists them as if written one by one.
enum ParallelFiles {
    /// One file: bytes to write, or a writer that needs the staging path (the workbook).
    enum File: Sendable {
        case data(String, @Sendable () throws -> Data)
        case written(String, @Sendable (String) throws -> Void)

        var name: String {
            switch self {
            case .data(let name, _), .written(let name, _): name
            }
        }
    }

    /// Writes every file; the first failure in the files' order is thrown once all have run.
    static func write(_ files: [File], into output: StagedOutput) throws {
        let paths = try files.map { try output.path(for: $0.name) }
        let failures = Failures(count: files.count)
        let staging = output.staging.path
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            do {
                switch files[index] {
                case .data(let name, let render):
                    guard FileManager.default.createFile(atPath: paths[index], contents: try render()) else {
                        throw OutputError(message: "cannot write \(name) in \(staging)")
                    }
                case .written(_, let write):
                    try write(paths[index])
                }
            } catch {
                failures.set(index, error)
            }
        }
        if let first = failures.first { throw first }
    }

    /// The error of each file that failed, set from any thread.
    private final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [(any Error)?]

        init(count: Int) { errors = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ error: any Error) { lock.withLock { errors[index] = error } }

        var first: (any Error)? { lock.withLock { errors.compactMap { $0 }.first } }
    }
}
