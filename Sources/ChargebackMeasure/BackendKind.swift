import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation

/// What the answers say about the server behind the URL, learnt from their headers as they come.
///
/// VictoriaMetrics (single node and vmselect) marks every answer with `X-Server-Hostname`; it
/// answers an index lookup (`/api/v1/series`) over more than 40 days from its global index, which
/// lists every series it ever held whatever the range, so such lookups are split into windows of at
/// most ``indexWindowSeconds``.
final class BackendKind: @unchecked Sendable {
    /// The longest range VictoriaMetrics answers from its per-day index.
    static let indexWindowSeconds = 40 * 86400

    private let lock = NSLock()
    private var victoria = false

    /// Notes an answer's headers.
    func observe(serverHostname: String?) {
        guard serverHostname != nil else { return }
        lock.withLock { victoria = true }
    }

    /// Whether some answer came from VictoriaMetrics.
    var isVictoriaMetrics: Bool { lock.withLock { victoria } }
}
