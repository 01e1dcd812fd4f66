import Foundation

/// At most `width` requests of one client in flight at once, whichever reads ask for them (a
/// report's own period, its comparison and its side counters run side by side); the others wait
/// their turn in the order they came. A request keeps its place through its retries.
final class RequestGate: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) { free = max(1, width) }

    /// Waits for a free place and takes it.
    func enter() async {
        await withCheckedContinuation { (place: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                guard free > 0 else {
                    waiting.append(place)
                    return false
                }
                free -= 1
                return true
            }
            if now { place.resume() }
        }
    }

    /// Gives the place to the first waiting, or frees it.
    func leave() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            guard !waiting.isEmpty else {
                free += 1
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
