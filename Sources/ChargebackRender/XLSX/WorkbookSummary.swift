import ChargebackModel
import Foundation

/// The Summary sheet: what the workbook is about, the key figures (formulas over the other
/// sheets), the breaches, and the two charts.
enum WorkbookSummary {
    static func write(_ data: WorkbookData, _ sheet: XLSXSheet, _ workbook: XLSXWorkbook) throws {
        let report = data.report
        let zone = report.period.timeZone
        try sheet.text(0, 0, data.title, .title)
        var notes: [String] = []
        if report.partial {
            notes.append(
                "Partial period: the figures cover \(DateText.rfc3339(report.period.start, in: zone)) up to "
                    + "\(DateText.rfc3339(data.dataEnd, in: zone)) only.")
        }
        if report.coverage.periodStartsBeforeData, let start = report.coverage.dataStart {
            notes.append(
                "The period starts before the data does: the figures cover "
                    + "\(DateText.rfc3339(start, in: zone)) on only (the backend's oldest sample).")
        }
        let blind = report.coverage.blindSpans.reduce(0) { $0 + $1.hours }
        if blind > 0 { notes.append("No data in \(blind) hour(s) of the period (see About).") }
        if !notes.isEmpty { try sheet.text(1, 0, notes.joined(separator: " "), .note) }
        var row = 2
        let facts: [(String, String)] =
            [
                ("Period", report.period.label),
                ("From", DateText.rfc3339(report.period.start, in: zone)),
                ("To (exclusive)", DateText.rfc3339(report.period.end, in: zone)),
                ("Time zone", zone.reportName),
                ("Source", report.facts.prometheusSource),
                ("Tool", "chargeback \(report.toolVersion)"),
            ] + (data.options.team.map { [("Team", $0)] } ?? [])
        for (label, value) in facts {
            try sheet.text(row, 0, label, .bold)
            try sheet.text(row, 1, value)
            row += 1
        }
        row += 1
        let teamsTotal = data.teamsTotalRow
        let allocatedTokens = data.budgets.reduce(Int64(0)) { $0 + $1.group.billableTokens }
        try sheet.text(row, 0, "Total cost (\(report.currency))", .bold)
        try sheet.formula(
            row, 1, "=" + WorkbookData.ref(WorkbookData.teams, teamsTotal, WorkbookData.teamCostColumn),
            value: Money.double(report.allocation.roundedTotal), .totalMoney)
        try sheet.text(row + 1, 0, "Exact cost before rounding", .bold)
        try sheet.number(row + 1, 1, report.totalCost, .preciseMoney)
        try sheet.text(row + 2, 0, "Billable tokens", .bold)
        try sheet.formula(
            row + 2, 1, "=" + WorkbookData.ref(WorkbookData.teams, teamsTotal, WorkbookData.teamTokensColumn),
            value: Double(allocatedTokens), .totalCount)
        try sheet.text(row + 3, 0, "Data coverage", .bold)
        try sheet.number(row + 3, 1, report.coverage.ratio, .precisePercent)
        try sheet.text(row + 4, 0, "Breaches", .bold)
        try sheet.number(row + 4, 1, Double(data.breaches.count), .count)
        row += 6
        try charts(data, sheet, workbook, row: row)
        row += 17
        if !data.breaches.isEmpty {
            try sheet.text(row, 0, "Thresholds and budgets breached", .section)
            row += 1
            for breach in data.breaches {
                try sheet.text(row, 0, "⚠ " + breach)
                row += 1
            }
        }
        sheet.setWidth(0, 30)
        sheet.setWidth(1, 48)
        try sheet.fitColumns()
    }

    /// A line chart of daily cost against the daily threshold, and beside it a column chart of
    /// cost by team, both with their top at `row`.
    private static func charts(_ data: WorkbookData, _ sheet: XLSXSheet, _ workbook: XLSXWorkbook, row: Int) throws {
        if !data.days.isEmpty {
            let last = data.days.count
            let cost = WorkbookData.dailyCostColumn
            let threshold = WorkbookData.dailyThresholdColumn
            let chart = try workbook.addChart(.line)
            chart.title("Cost per day")
            try chart.addSeries(
                name: "Daily cost", sheet: WorkbookData.daily, categories: XLSXRange(1, 0, last, 0),
                values: XLSXRange(1, cost, last, cost), style: .init(color: 0x2E75B6))
            if data.report.assessment.thresholds.daily != nil {
                try chart.addSeries(
                    name: "Daily threshold", sheet: WorkbookData.daily, categories: XLSXRange(1, 0, last, 0),
                    values: XLSXRange(1, threshold, last, threshold),
                    style: .init(color: 0xC00000, dashed: true, width: 1.5))
            }
            chart.axes(
                category: "Day", value: data.report.currency.code,
                valueFormat: XLSXFormat.chartMoney(data.report.currency), categoryFormat: "mmm d"
            )
            chart.legend(visible: true)
            try sheet.insertChart(
                row, 0, chart, width: 560, height: 320, description: "Cost per day and the daily threshold")
        }
        if !data.budgets.isEmpty {
            let last = data.budgets.count
            let cost = WorkbookData.teamCostColumn
            let chart = try workbook.addChart(.column)
            chart.title("Cost per team")
            try chart.addSeries(
                name: "Cost (\(sheet.currency))", sheet: WorkbookData.teams, categories: XLSXRange(1, 0, last, 0),
                values: XLSXRange(1, cost, last, cost), style: .init(color: 0x2E75B6))
            // Each team's budget as a red outline around its cost column: a column above the outline is over budget.
            let hasBudgets = data.budgets.contains { $0.budget != nil }
            if hasBudgets {
                let budget = WorkbookData.teamBudgetColumn
                try chart.addSeries(
                    name: "Budget (\(sheet.currency))", sheet: WorkbookData.teams,
                    categories: XLSXRange(1, 0, last, 0),
                    values: XLSXRange(1, budget, last, budget),
                    style: .init(color: 0xC00000, dashed: true, width: 1.5, outline: true))
                chart.overlap(100)
            }
            chart.axes(
                category: "Team", value: data.report.currency.code,
                valueFormat: XLSXFormat.chartMoney(data.report.currency))
            chart.legend(visible: hasBudgets)
            try sheet.insertChart(
                row, 2, chart, width: 480, height: 320, xOffset: 16,
                description: "Allocated cost per team against its budget")
        }
    }
}
