import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

extension Assess {
    /// ``assess(lines:allocation:buckets:period:thresholds:teams:reconciliation:)`` with the
    /// config's thresholds and teams.
    public static func assess(
        lines: [CostLine], allocation: Allocation, buckets: Buckets, period: Period,
        config: ChargebackConfig, reconciliation: Reconciliation = .none
    ) -> Assessment {
        assess(
            lines: lines, allocation: allocation, buckets: buckets, period: period, thresholds: config.thresholds,
            teams: config.teams.teams, reconciliation: reconciliation)
    }
}
