import Foundation

/// The Assess stage's result: every threshold and budget window checked, the teams' budget use,
/// what was breached, and how our figures compare with other tools'. Renderers read these and
/// never recompute a window, a status or a calendar.
public struct Assessment: Sendable, Equatable {
    /// The limits the total was checked against (none in a team's own view).
    public let thresholds: Thresholds
    /// Every window checked, in the order of the thresholds file.
    public let checks: [ThresholdCheck]
    /// Budget use per team in allocation order.
    public let budgets: [BudgetStatus]
    /// The total's exceeded days, weeks and months, then the teams over budget.
    public let breaches: [Breach]
    public let reconciliation: Reconciliation

    public init(
        thresholds: Thresholds, checks: [ThresholdCheck], budgets: [BudgetStatus], breaches: [Breach],
        reconciliation: Reconciliation
    ) {
        self.thresholds = thresholds
        self.checks = checks
        self.budgets = budgets
        self.breaches = breaches
        self.reconciliation = reconciliation
    }

    /// The checks of one scope, in order.
    public func checks(of scope: CheckScope) -> [ThresholdCheck] {
        checks.filter { $0.scope == scope }
    }

    /// The check of `scope` for a window that starts at `start`, if any.
    public func check(_ scope: CheckScope, _ window: ThresholdCheck.Window, startingAt start: Date) -> ThresholdCheck? {
        checks.first { $0.scope == scope && $0.window == window && $0.start == start }
    }
}

/// The Assess stage: priced, allocated usage against thresholds and budgets.
public enum Assess {
    /// Checks the period's usage against `thresholds` (for the total) and each team's budget.
    /// - Parameters:
    ///   - teams: the team file's teams, for their budgets.
    ///   - reconciliation: the comparison with the dashboard and the gateway's cost counter.
    ///   - net: each team's net after adjustments (``AdjustmentLedger``), which its budget for the
    ///     period is compared with; `nil` without adjustments (then the allocated cost is).
    public static func assess(
        lines: [CostLine], allocation: Allocation, buckets: Buckets, period: Period,
        thresholds: Thresholds, teams: [Team],
        reconciliation: Reconciliation = .none, net: [String: Decimal]? = nil
    ) -> Assessment {
        let checks = ThresholdAssessment.checks(
            lines: lines, allocation: allocation, buckets: buckets, period: period,
            thresholds: thresholds, teams: teams)
        let budgets = BudgetStatus.all(allocation: allocation, teams: teams, period: period, net: net)
        return Assessment(
            thresholds: thresholds, checks: checks, budgets: budgets,
            breaches: Breach.all(checks: checks, budgets: budgets), reconciliation: reconciliation)
    }
}
