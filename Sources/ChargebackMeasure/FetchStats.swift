import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// Thread-safe counters of what a client fetched, for `--verbose` and the manifest.
public final class FetchStats: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Snapshot()

    public struct Snapshot: Sendable, Equatable {
        public var requests = 0
        public var series = 0
        public var samples = 0
        public var bytes = 0
        /// Sum over requests of the time from sending to the last body byte.
        public var waitSeconds = 0.0
    }

    func record(request duration: Duration, bytes: Int) {
        lock.withLock {
            value.requests += 1
            value.bytes += bytes
            value.waitSeconds += Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }

    func record(series: Int, samples: Int) {
        lock.withLock {
            value.series += series
            value.samples += samples
        }
    }

    func snapshot() -> Snapshot { lock.withLock { value } }
}
