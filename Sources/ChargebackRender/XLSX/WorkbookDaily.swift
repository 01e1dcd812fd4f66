import ChargebackModel
import Foundation

/// The Daily sheet (cents per day against the daily threshold) and the Thresholds sheet (every
/// day, ISO week, the month and each team's budget against its limit), with the statuses of the
/// Assess stage (``LimitStatus``).
enum WorkbookDaily {
    static func daily(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let zone = data.report.period.timeZone
        let assessment = data.report.assessment
        let limit = assessment.thresholds.daily
        try sheet.header(
            0,
            ["Day", "Billable tokens", "Cost (\(sheet.currency))"]
                + (limit == nil ? [] : ["Daily threshold (\(sheet.currency))", "Status"]))
        try sheet.autofilter(XLSXRange(0, 0, max(data.days.count, 1), limit == nil ? 2 : 4))
        for (index, day) in data.days.enumerated() {
            let row = index + 1
            try sheet.date(row, 0, day.day.start, in: zone)
            try sheet.number(row, 1, day.billableTokens)
            try sheet.number(row, 2, day.cost, .money)
            if let limit {
                let check = assessment.check(.total, .day, startingAt: day.day.start)
                try sheet.number(row, 3, limit, .money)
                try sheet.text(row, 4, check?.status.rawValue ?? "", .status)
            }
        }
        let total = data.dailyTotalRow
        try sheet.text(total, 0, "Total", .bold)
        try sheet.formula(
            total, 1, "=SUM(B2:B\(total))",
            value: Double(data.days.reduce(Int64(0)) { $0 + $1.billableTokens }),
            .totalCount)
        try sheet.formula(
            total, 2, "=SUM(C2:C\(total))", value: Money.double(data.days.reduce(Decimal(0)) { $0 + $1.cost }),
            .totalMoney)
        if limit != nil, !data.days.isEmpty {
            try sheet.conditionalFormat(
                XLSXRange(1, 0, data.days.count, 4),
                .formula(LimitFormula.reached("$C2", "$D2", sheet.currency), .breach))
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
        /// (rolling peaks, hot hours) that no sheet holds, whose start and end show their hour.
        let formula: String?
        let cost: Decimal
        let limit: Decimal?
        let status: String
    }

    /// One row per window and limit; costs are formulas over the Daily and Teams sheets.
    static func thresholds(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let zone = data.report.period.timeZone
        let checks = self.checks(data)
        try sheet.header(
            0,
            [
                "Scope", "Window", "Start", "End (exclusive)", "Cost (\(sheet.currency))",
                "Threshold (\(sheet.currency))", "Status",
            ])
        // Constant-memory mode: the filter goes on before the rows it covers.
        try sheet.autofilter(XLSXRange(0, 0, max(checks.count, 1), 6))
        for (index, check) in checks.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, check.scope)
            try sheet.text(row, 1, check.window)
            // Rolling windows and hot hours are made of hours: show the hour they start and end.
            let format: XLSXFormat = check.formula == nil ? .dateTime : .date
            try sheet.date(row, 2, check.start, in: zone, format)
            try sheet.date(row, 3, check.end, in: zone, format)
            if let formula = check.formula {
                try sheet.formula(row, 4, formula, value: Money.double(check.cost), .money)
            } else {
                try sheet.number(row, 4, check.cost, .money)
            }
            if let limit = check.limit { try sheet.number(row, 5, limit, .money) }
            try sheet.text(row, 6, check.status, .status)
        }
        var noteRow = checks.count + 2
        if checks.isEmpty {
            try sheet.text(
                noteRow, 0,
                "No thresholds or budgets apply to this report (see thresholds: in chargeback.yaml "
                    + "and monthly_budget_usd: in teams.yaml).", .note)
            noteRow += 1
        } else {
            let rows = XLSXRange(1, 0, checks.count, 6)
            try sheet.conditionalFormat(
                rows, .formula(LimitFormula.reached("$E2", "$F2", sheet.currency, ifLimit: true), .breach))
            try sheet.conditionalFormat(rows, .formula("=$G2=\"warning\"", .warning))
        }
        if data.options.team != nil {
            try sheet.text(
                noteRow, 0,
                "Organisation-wide daily, weekly and monthly thresholds apply to the total of all "
                    + "teams and are shown in the main report.", .note)
        }
        sheet.freeze(rows: 1)
        sheet.setWidth(0, min(max(checks.map(\.scope.count).max() ?? 0, 8) + 2, 40))
        try sheet.fitColumns()
    }

    /// The total's days, ISO weeks and months that have a limit, then team budgets, then the
    /// rolling peaks and hot hours: the assessment's checks, each tied to the Daily or Teams cells
    /// it sums.
    private static func checks(_ data: WorkbookData) -> [Check] {
        let report = data.report
        let total = data.options.team.map { "Total of \($0)" } ?? "Total"
        let totalChecks = report.assessment.checks(of: .total)
        let zone = report.period.timeZone
        var checks: [Check] = []
        for check in totalChecks where check.window == .day && check.threshold != nil {
            guard let rows = dailyRows(data, check) else { continue }
            checks.append(
                Check(
                    scope: total, window: "day", start: check.start, end: check.end,
                    formula: "="
                        + WorkbookData.ref(
                            WorkbookData.daily, rows.lowerBound + 1,
                            WorkbookData.dailyCostColumn),
                    cost: check.cost, limit: check.threshold, status: check.status.rawValue))
        }
        for check in totalChecks where check.window == .week && check.threshold != nil {
            guard let rows = dailyRows(data, check) else { continue }
            let range = XLSXRange(
                rows.lowerBound + 1, WorkbookData.dailyCostColumn, rows.upperBound,
                WorkbookData.dailyCostColumn)
            let window = "week " + WeekName.withDates(start: check.start, end: check.end, in: zone)
            checks.append(
                Check(
                    scope: total, window: window, start: data.days[rows.lowerBound].day.start,
                    end: data.days[rows.upperBound - 1].day.end,
                    formula: "=SUM(" + WorkbookData.ref(WorkbookData.daily, range) + ")", cost: check.cost,
                    limit: check.threshold, status: check.status.rawValue))
        }
        // Whole months only: a month cut by the period is in the thresholds file.
        for check in totalChecks where check.window == .month && check.threshold != nil && !check.partial {
            guard let rows = dailyRows(data, check) else { continue }
            let cost = WorkbookData.dailyCostColumn
            let formula =
                rows.count == data.days.count
                ? "=" + WorkbookData.ref(WorkbookData.daily, data.dailyTotalRow, cost)
                : "=SUM("
                    + WorkbookData.ref(WorkbookData.daily, XLSXRange(rows.lowerBound + 1, cost, rows.upperBound, cost))
                    + ")"
            checks.append(
                Check(
                    scope: total, window: "month \(check.label)", start: check.start, end: check.end,
                    formula: formula, cost: check.cost, limit: check.threshold,
                    status: check.status.rawValue))
        }
        for (index, status) in data.budgets.enumerated() where status.budget != nil {
            checks.append(
                Check(
                    scope: status.group.name, window: "budget \(report.period.label)",
                    start: report.period.start, end: report.period.end,
                    formula: "="
                        + WorkbookData.ref(
                            WorkbookData.teams, index + 1,
                            status.net == nil ? WorkbookData.teamCostColumn : WorkbookData.teamNetColumn),
                    cost: status.charged, limit: status.budget, status: status.status.rawValue))
        }
        // The peak rolling windows and the hours whose pace reaches the daily threshold (the live alerts).
        let names: [ThresholdCheck.Window: String] = [
            .rolling24h: "peak rolling 24 h", .rolling7d: "peak rolling 7 d",
            .hourProjection: "hour × 24",
        ]
        for check in totalChecks {
            guard let name = names[check.window] else { continue }
            checks.append(
                Check(
                    scope: total, window: name, start: check.start, end: check.end, formula: nil,
                    cost: check.cost, limit: check.threshold, status: check.status.rawValue))
        }
        return checks
    }

    /// The Daily sheet's data rows (zero-based, before the header) of the days a check covers.
    private static func dailyRows(_ data: WorkbookData, _ check: ThresholdCheck) -> Range<Int>? {
        guard let first = data.days.firstIndex(where: { $0.day.start >= check.start && $0.day.start < check.end })
        else { return nil }
        let end = data.days[first...].firstIndex(where: { $0.day.start >= check.end }) ?? data.days.count
        return first..<end
    }
}
