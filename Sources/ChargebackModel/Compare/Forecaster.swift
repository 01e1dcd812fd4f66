import Foundation

/// Projects a running period to its end (``Forecast/method``): the measured hours as they are,
/// the rest from the hour-of-week profile of the four weeks before the run time, priced and
/// allocated like measured usage, so the projected cents per team add up to the projected total.
public enum Forecaster {
    /// The stretch the profile is made of: the four weeks before `asOf` (cut to the hour).
    public static func lookback(before asOf: Date, in zone: TimeZone) -> Period {
        let end = Hour(containing: asOf).startDate
        return Period(label: "forecast-profile", start: end.addingTimeInterval(-28 * 86_400), end: end, timeZone: zone)
    }

    /// - Parameters:
    ///   - measured: the period's measured tokens per key and hour (zero after `asOf`).
    ///   - newerBuilds: per `input` key and hour, whether builds after v1.4.1 served it.
    ///   - soFar: the period's allocation of what was measured (the cents so far).
    ///   - profile: the priced usage of ``lookback(before:in:)`` and its buckets; hours before
    ///     `validFrom` (the backend's data) are left out.
    ///   - costing: the period's costing, the same as of the cents so far.
    /// - Throws: ``InputError`` when the projected usage has no price or no team the files accept.
    public static func forecast(
        period: Period, asOf: Date, measured: [UsageKey: [Int64]], newerBuilds: [UsageKey: [Bool?]] = [:],
        soFar: Allocation, profile lines: [CostLine], profileBuckets: Buckets, validFrom: Date?,
        thresholds: Thresholds, costing: Costing
    ) throws -> Forecast {
        let buckets = Buckets(period: period)
        let profile = HourProfile(lines: lines, buckets: profileBuckets, validFrom: validFrom)
        let future = (0..<buckets.hourCount).filter { buckets.hourStart($0) >= asOf }
        var usage = measured
        for key in Set(measured.keys).union(lines.map(\.key)) {
            var hours = usage[key] ?? [Int64](repeating: 0, count: buckets.hourCount)
            for hour in future { hours[hour] = profile.tokens(key, at: buckets.hourStart(hour)) }
            usage[key] = hours
        }
        let priced = try costing.price(usage, buckets: buckets, newerBuilds: newerBuilds)
        let projected = try costing.allocate(priced.lines, buckets: buckets, hourly: false)
        // The range: ± 2 × the spread, narrower with more days left to average and more weeks of profile.
        let daysLeft = max(1, Double(future.count) / 24)
        let weeks = max(1, Double(profile.validHours) / 168)
        let spread = profile.spread.map { 2 * $0 * (1 / daysLeft + 1 / weeks).squareRoot() } ?? 0.25
        let share = Money.round(
            Decimal(string: String(format: "%.4f", min(spread, 1))) ?? Decimal(string: "0.25")!,
            scale: 4)
        let budgets = BudgetStatus.all(allocation: soFar, teams: costing.teams.teams, period: period)
        var budgetOf: [String: Decimal] = [:]
        for status in budgets { if let budget = status.budget { budgetOf[status.group.name] = budget } }
        let dailyCents = dailyCents(projected, days: buckets.days.count)
        var totalDaily = [Decimal](repeating: 0, count: buckets.days.count)
        for cents in dailyCents.values { for (index, amount) in cents.enumerated() { totalDaily[index] += amount } }
        func row(
            _ scope: ForecastRow.Scope, _ name: String, soFar: Decimal, forecast: Decimal, budget: Decimal?,
            daily: [Decimal]
        ) -> ForecastRow {
            let rest = max(0, forecast - soFar)
            return ForecastRow(
                scope: scope, name: name, soFar: soFar, forecast: forecast,
                low: Money.round(soFar + rest * (1 - share)), high: Money.round(soFar + rest * (1 + share)),
                budget: budget, budgetCrossedOn: budget.flatMap { crossing(daily, $0, buckets) })
        }
        let teams = projected.teamOrder + soFar.teamOrder.filter { !projected.teamOrder.contains($0) }
        let teamBudgets = teams.compactMap { budgetOf[$0] }
        var rows = [
            row(
                .total, "Total", soFar: soFar.roundedTotal, forecast: projected.roundedTotal,
                budget: teamBudgets.isEmpty ? nil : teamBudgets.reduce(0, +), daily: totalDaily)
        ]
        for team in teams {
            rows.append(
                row(
                    .team, team, soFar: soFar.cost(of: team), forecast: projected.cost(of: team),
                    budget: budgetOf[team],
                    daily: dailyCents[team] ?? [Decimal](repeating: 0, count: buckets.days.count)))
        }
        let assessment = Assess.assess(
            lines: priced.lines, allocation: projected, buckets: buckets, period: period,
            thresholds: thresholds, teams: [])
        var crossings: [ForecastCrossing] = []
        for window in [ThresholdCheck.Window.day, .week, .month] {
            guard
                let check = assessment.checks(of: .total).first(where: {
                    $0.window == window && $0.status == .exceeded && $0.end > asOf
                }), let threshold = check.threshold
            else { continue }
            // The day the window's cents reach the threshold.
            var sum = Decimal(0)
            var on = check.start
            for (index, day) in buckets.days.enumerated() where day.start >= check.start && day.start < check.end {
                sum += totalDaily[index]
                if sum >= threshold {
                    on = day.start
                    break
                }
            }
            crossings.append(
                ForecastCrossing(
                    window: window, label: check.label, threshold: threshold, cost: check.cost,
                    on: on))
        }
        return Forecast(asOf: asOf, rows: rows, crossings: crossings, spread: share, profileHours: profile.validHours)
    }

    /// Per team, the projected ledger's cents per day.
    private static func dailyCents(_ allocation: Allocation, days: Int) -> [String: [Decimal]] {
        var cents: [String: [Decimal]] = [:]
        let ledger = allocation.ledger
        for cell in ledger.cells {
            let team = allocation.teamOrder[cell.team]
            cents[team, default: [Decimal](repeating: 0, count: days)][ledger.lines[cell.line].bucket] += cell.cost
        }
        return cents
    }

    /// The start of the first day on which the running sum of `daily` reaches `budget`.
    private static func crossing(_ daily: [Decimal], _ budget: Decimal, _ buckets: Buckets) -> Date? {
        var sum = Decimal(0)
        for (index, cents) in daily.enumerated() {
            sum += cents
            if sum >= budget && (budget > 0 || sum > 0) { return buckets.days[index].start }
        }
        return nil
    }
}
