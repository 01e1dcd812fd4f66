import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender

/// How far the fetch of one phase of a report is: which period it measures and for what (`2026-10
/// (this period)`, `2026-09 (the previous period)`), and the queries done of those planned so far.
/// The total grows as the plan unfolds (raw reads are planned once the summaries are in).
public struct FetchProgress: Sendable, Equatable {
    public let phase: String
    public let done: Int
    public let total: Int

    public init(phase: String, done: Int, total: Int) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}
