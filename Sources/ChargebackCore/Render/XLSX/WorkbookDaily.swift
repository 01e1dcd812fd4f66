import Foundation

/// The Daily sheet (cents per day against the daily threshold) and the Thresholds sheet (every
/// day, ISO week, the month and each team's budget against its limit), with the statuses of the
/// Assess stage (``LimitStatus``).
enum WorkbookDaily {
    static func daily(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let zone = data.report.period.timeZone
        let limit = data.report.config.thresholds.dailyUSD
        try sheet.header(0, ["Day", "Billable tokens", "Cost (USD)"]
                         + (limit == nil ? [] : ["Daily threshold (USD)", "Status"]))
        let statuses = data.report.thresholdChecks.filter { $0.scope == "total" && $0.window == .day }.map(\.status)
        try sheet.autofilter(XLSXRange(0, 0, max(data.days.count, 1), limit == nil ? 2 : 4))
        for (index, day) in data.days.enumerated() {
            let row = index + 1
            try sheet.date(row, 0, day.day.start, in: zone)
            try sheet.number(row, 1, day.billableTokens)
            try sheet.number(row, 2, day.cost, .usd)
            if let limit {
                try sheet.number(row, 3, limit, .usd)
                try sheet.text(row, 4, index < statuses.count ? statuses[index].rawValue : "")
            }
        }
        let total = data.dailyTotalRow
        try sheet.text(total, 0, "Total", .bold)
        try sheet.formula(total, 1, "=SUM(B2:B\(total))",
                          value: Double(data.days.reduce(Int64(0)) { $0 + $1.billableTokens }),
                          .totalCount)
        try sheet.formula(total, 2, "=SUM(C2:C\(total))", value: Money.double(data.days.reduce(Decimal(0)) { $0 + $1.cost }),
                          .totalUSD)
        if limit != nil, !data.days.isEmpty {
            try sheet.conditionalFormat(XLSXRange(1, 0, data.days.count, 4), .formula("=ROUND($C2*100,0)>=ROUND($D2*100,0)", .breach))
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }

    /// One row of the Thresholds sheet.
    private struct Check {
        let scope: String
        let window: String
        let start: Date
        let end: Date
        /// Over the Daily or Teams sheet, so the row follows edits there; `nil` for hourly figures
        /// (rolling peaks, hot hours) that no sheet holds.
        let formula: String?
        let cost: Decimal
        let limit: Decimal?
        let status: String
    }

    /// One row per window and limit; costs are formulas over the Daily and Teams sheets.
    static func thresholds(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let zone = data.report.period.timeZone
        let checks = self.checks(data)
        try sheet.header(0, ["Scope", "Window", "Start", "End (exclusive)", "Cost (USD)", "Threshold (USD)", "Status"])
        // Constant-memory mode: the filter goes on before the rows it covers.
        try sheet.autofilter(XLSXRange(0, 0, max(checks.count, 1), 6))
        for (index, check) in checks.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, check.scope)
            try sheet.text(row, 1, check.window)
            try sheet.date(row, 2, check.start, in: zone)
            try sheet.date(row, 3, check.end, in: zone)
            if let formula = check.formula {
                try sheet.formula(row, 4, formula, value: Money.double(check.cost), .usd)
            } else {
                try sheet.number(row, 4, check.cost, .usd)
            }
            if let limit = check.limit { try sheet.number(row, 5, limit, .usd) }
            try sheet.text(row, 6, check.status)
        }
        var noteRow = checks.count + 2
        if checks.isEmpty {
            try sheet.text(noteRow, 0, "No thresholds or budgets apply to this report (see thresholds: in chargeback.yaml "
                           + "and monthly_budget_usd: in teams.yaml).", .note)
            noteRow += 1
        } else {
            let rows = XLSXRange(1, 0, checks.count, 6)
            try sheet.conditionalFormat(rows, .formula("=AND(ISNUMBER($F2),ROUND($E2*100,0)>=ROUND($F2*100,0))", .breach))
            try sheet.conditionalFormat(rows, .formula("=$G2=\"warning\"", .warning))
        }
        if data.options.team != nil {
            try sheet.text(noteRow, 0, "Organisation-wide daily, weekly and monthly thresholds apply to the total of all "
                           + "teams and are shown in the main report.", .note)
        }
        sheet.freeze(rows: 1)
        sheet.setWidth(0, min(max(checks.map(\.scope.count).max() ?? 0, 8) + 2, 40))
        try sheet.fitColumns()
    }

    /// Days, ISO weeks and months against the configured thresholds, then team budgets, then the
    /// peaks and hot hours: the Assess stage's checks, with formulas over the Daily and Teams sheets.
    private static func checks(_ data: WorkbookData) -> [Check] {
        let report = data.report
        let total = data.options.team.map { "Total of \($0)" } ?? "Total"
        let dayRow = Dictionary(data.days.enumerated().map { ($1.day.start, $0 + 1) }, uniquingKeysWith: { first, _ in first })
        let weekLabels = Dictionary(weeks(data).map { (data.days[$0.days.lowerBound].day.start, $0.label) },
                                    uniquingKeysWith: { first, _ in first })
        func sum(_ check: ThresholdCheck) -> String? {
            let rows = data.days.enumerated().filter { $1.day.start >= check.start && $1.day.start < check.end }.map { $0.0 + 1 }
            guard let first = rows.first, let last = rows.last else { return nil }
            let column = WorkbookData.dailyCostColumn
            if first == last { return "=" + WorkbookData.ref(WorkbookData.daily, first, column) }
            return "=SUM(" + WorkbookData.ref(WorkbookData.daily, XLSXRange(first, column, last, column)) + ")"
        }
        var checks: [Check] = []
        let calendarChecks = report.thresholdChecks.filter { $0.scope == "total" && $0.threshold != nil }
        for window in [ThresholdCheck.Window.day, .week, .month] {
            for check in calendarChecks where check.window == window {
                let name: String
                let start = max(check.start, report.period.start), end = min(check.end, report.period.end)
                switch window {
                case .day: name = "day"
                case .week:
                    let days = data.days.filter { $0.day.start >= check.start && $0.day.start < check.end }
                    let label = days.first.flatMap { weekLabels[$0.day.start] } ?? ""
                    name = days.count == 7 ? "week \(label)" : "week \(label) (\(days.count) of its days in the period)"
                default: name = "month " + String(DateText.day(check.start, in: report.period.timeZone).prefix(7))
                    + (check.partial ? " (part)" : "")
                }
                let formula = window == .day ? dayRow[check.start].map { "=" + WorkbookData.ref(WorkbookData.daily, $0,
                                                                                            WorkbookData.dailyCostColumn) }
                    : sum(check)
                checks.append(Check(scope: total, window: name, start: start, end: end, formula: formula, cost: check.cost,
                                    limit: check.threshold, status: check.status.rawValue))
            }
        }
        for (index, status) in data.budgets.enumerated() where status.budget != nil {
            checks.append(Check(scope: status.group.name, window: "budget \(report.period.label)",
                                start: report.period.start, end: report.period.end,
                                formula: "=" + WorkbookData.ref(WorkbookData.teams, index + 1, WorkbookData.teamCostColumn),
                                cost: status.group.cost, limit: status.budget, status: status.status.rawValue))
        }
        // The peak rolling windows and the hours whose pace reaches the daily threshold (the live alerts).
        let names: [ThresholdCheck.Window: String] = [.rolling24h: "peak rolling 24 h", .rolling7d: "peak rolling 7 d",
                                                      .hourProjection: "hour × 24"]
        for check in report.thresholdChecks where check.scope == "total" {
            guard let name = names[check.window] else { continue }
            checks.append(Check(scope: total, window: name, start: check.start, end: check.end, formula: nil,
                                cost: check.cost, limit: check.threshold, status: check.status.rawValue))
        }
        return checks
    }

    /// The period's days grouped by ISO week in the report time zone (weeks cut by the period keep only its days).
    static func weeks(_ data: WorkbookData) -> [(label: String, days: Range<Int>)] {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = data.report.period.timeZone
        var weeks: [(label: String, days: Range<Int>)] = []
        for (index, day) in data.days.enumerated() {
            let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: day.day.start)
            let label = String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
            if let last = weeks.last, last.label == label {
                weeks[weeks.count - 1].days = last.days.lowerBound..<(index + 1)
            } else {
                weeks.append((label, index..<(index + 1)))
            }
        }
        return weeks
    }
}
