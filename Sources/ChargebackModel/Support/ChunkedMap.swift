import Foundation

/// Runs work over many independent items (the keys a report prices) on every core: consecutive slices of the items, each mapped once, the results in slice order,
/// so merging them in order gives what one pass in order gives.
enum ChunkedMap {
    /// `body` of each slice of `0..<count`, in order; one slice when there are fewer than
    /// `minimumChunk` items per core.
    static func map<Result>(count: Int, minimumChunk: Int = 256, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // A few slices per core, so a slice slower than the others does not leave a core idle.
        let slices = max(1, min(cores * 4, count / max(minimumChunk, 1)))
        guard slices > 1, cores > 1 else { return [body(0..<count)] }
        let bounds = (0...slices).map { count * $0 / slices }
        let results = Slots<Result>(count: slices)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            results.set(slice, body(bounds[slice]..<bounds[slice + 1]))
        }
        return results.all
    }
}
