import ChargebackModel
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
        let failures = Slots<any Error>(count: files.count)
        let hashed = Slots<ManifestRenderer.Output>(count: files.count)
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
                hashed.set(index, try ManifestRenderer.Output(file: files[index].name, path: paths[index]))
            } catch {
                failures.set(index, error)
            }
        }
        if let first = failures.all.first { throw first }
        return Dictionary(hashed.all.map { ($0.file, $0) }) { first, _ in first }
    }
}
