import ChargebackRender
import Foundation

/// Renders a report's files side by side (one per core at a time) into a ``StagedOutput``: every
/// name is staged first, in the given order, so the manifest lists them as if written one by one.
/// Each file is read back and hashed for the manifest, a piece at a time, by the thread that wrote it.
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
    /// - Parameter longestFirst: names of the files that take longest, started before the others
    ///   so the short ones fill the other cores meanwhile.
    /// - Returns: each file's size and hash, by name.
    static func write(_ files: [File], into output: StagedOutput, longestFirst: [String] = []) throws
        -> [String: ManifestRenderer.Output]
    {
        let paths = try files.map { try output.path(for: $0.name) }
        let first = files.indices.filter { longestFirst.contains(files[$0].name) }
        let order = first + files.indices.filter { !first.contains($0) }
        let failures = Failures(count: files.count)
        let hashed = Hashed(count: files.count)
        let staging = output.staging.path
        DispatchQueue.concurrentPerform(iterations: files.count) { turn in
            let index = order[turn]
            do {
                switch files[index] {
                case .data(let name, let render):
                    guard FileManager.default.createFile(atPath: paths[index], contents: try render()) else {
                        throw OutputError(message: "cannot write \(name) in \(staging)")
                    }
                case .written(_, let write):
                    try write(paths[index])
                }
                let name = files[index].name
                guard let output = ManifestRenderer.Output(file: name, path: paths[index]) else {
                    throw OutputError(message: "cannot read back the staged \(name)")
                }
                hashed.set(index, output)
            } catch {
                failures.set(index, error)
            }
        }
        if let first = failures.first { throw first }
        return Dictionary(hashed.all.map { ($0.file, $0) }) { first, _ in first }
    }

    /// The size and hash of each file written, set from any thread.
    private final class Hashed: @unchecked Sendable {
        private let lock = NSLock()
        private var outputs: [ManifestRenderer.Output?]

        init(count: Int) { outputs = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ output: ManifestRenderer.Output) { lock.withLock { outputs[index] = output } }

        var all: [ManifestRenderer.Output] { lock.withLock { outputs.compactMap { $0 } } }
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
