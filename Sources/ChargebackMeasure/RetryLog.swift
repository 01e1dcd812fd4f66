import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Decides which retries get a warning line: requests in flight together that meet the same
/// problem retry together, and one line per round says so (the others go to debug).
package final class RetryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lastWarned: [String: Date] = [:]
    /// A second request's retry within this many seconds of the first's is the same round.
    let window: TimeInterval

    package init(window: TimeInterval = 5) {
        self.window = window
    }

    /// Whether the retry `attempt` after `problem` is the first of its round (and should warn).
    package func shouldWarn(attempt: Int, problem: String, at now: Date = Date()) -> Bool {
        let key = "\(attempt)|\(problem)"
        return lock.withLock {
            if let last = lastWarned[key], now.timeIntervalSince(last) < window { return false }
            lastWarned[key] = now
            return true
        }
    }
}
