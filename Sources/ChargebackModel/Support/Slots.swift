import Foundation

/// One value per index, set from any thread: the results of work spread over cores
/// (``ChunkedMap``, the files a report writes side by side), read once all of it has run.
package final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]

    package init(count: Int) { values = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) { lock.withLock { values[index] = value } }

    /// The values set, in index order (an index never set is left out).
    package var all: [Value] { lock.withLock { values.compactMap { $0 } } }
}
