import Foundation

/// Writes the workbook for team leads.
///
/// Sheets so far: Summary, Teams, Daily and Line Items. Totals are formulas written with their
/// computed values; text from Prometheus is always a string cell.
public enum WorkbookRenderer {
    /// Writes the workbook to `path` (a staging path; the caller moves it into place).
    public static func write(_ report: Report, to path: String) throws {
        let workbook = try XLSXWorkbook(path: path)
        try workbook.setProperties(title: "AI gateway chargeback \(report.period.label)",
                                   subject: "Period \(report.period.label) (\(report.period.timeZone.reportName))",
                                   author: "chargeback \(report.toolVersion)",
                                   comments: "Generated \(DateText.utc(report.generatedAt)) from \(report.prometheusURL)")
        try summary(report, workbook.addSheet("Summary"))
        try teams(report, workbook.addSheet("Teams"))
        try daily(report, workbook.addSheet("Daily"))
        try lineItems(report, workbook.addSheet("Line Items"))
        try workbook.close()
    }

    private static func summary(_ report: Report, _ sheet: XLSXSheet) throws {
        let zone = report.period.timeZone
        let rows: [(String, String)] = [
            ("Period", report.period.label),
            ("From", DateText.rfc3339(report.period.start, in: zone)),
            ("To (exclusive)", DateText.rfc3339(report.period.end, in: zone)),
            ("Time zone", zone.reportName),
            ("Generated", DateText.rfc3339(report.generatedAt, in: zone)),
            ("Source", report.prometheusURL),
        ]
        try sheet.text(0, 0, "AI gateway chargeback", .bold)
        for (index, row) in rows.enumerated() {
            try sheet.text(index + 2, 0, row.0, .bold)
            try sheet.text(index + 2, 1, row.1)
        }
        let first = rows.count + 3
        try sheet.text(first, 0, "Total cost", .bold)
        try sheet.number(first, 1, report.totalCents, .totalUSD)
        try sheet.text(first + 1, 0, "Total tokens", .bold)
        try sheet.number(first + 1, 1, Double(report.totalTokens), .totalCount)
        try sheet.text(first + 2, 0, "Data coverage", .bold)
        try sheet.number(first + 2, 1, report.coverage.ratio, .percent)
        try sheet.fitColumns()
    }

    private static func teams(_ report: Report, _ sheet: XLSXSheet) throws {
        try sheet.header(0, ["Team", "Cost center", "Owner", "Tokens", "Cost (USD)", "Budget (USD)", "Used", "Status"])
        let statuses = report.budgets
        for (index, status) in statuses.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, status.group.name)
            try sheet.text(row, 1, status.team?.costCenter ?? "")
            try sheet.text(row, 2, status.team?.owner ?? "")
            try sheet.number(row, 3, Double(status.group.tokens), .count)
            try sheet.number(row, 4, status.group.cost, .usd)
            if let budget = status.budget {
                try sheet.number(row, 5, budget, .usd)
                try sheet.formula(row, 6, "=E\(row + 1)/F\(row + 1)", value: Money.double(status.group.cost / budget), .percent)
            }
            try sheet.text(row, 7, status.status.rawValue)
        }
        let total = statuses.count + 1
        try sheet.text(total, 0, "Total", .bold)
        try sheet.formula(total, 3, "=SUM(D2:D\(total))", value: Double(statuses.reduce(0) { $0 + $1.group.tokens }), .totalCount)
        try sheet.formula(total, 4, "=SUM(E2:E\(total))", value: Money.double(report.totalCents), .totalUSD)
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }

    private static func daily(_ report: Report, _ sheet: XLSXSheet) throws {
        try sheet.header(0, ["Day", "Tokens", "Cost (USD)"])
        let days = report.byDay
        for (index, day) in days.enumerated() {
            try sheet.date(index + 1, 0, day.day.start, in: report.period.timeZone)
            try sheet.number(index + 1, 1, Double(day.tokens), .count)
            try sheet.number(index + 1, 2, day.cost, .usdPrecise)
        }
        let total = days.count + 1
        try sheet.text(total, 0, "Total", .bold)
        try sheet.formula(total, 1, "=SUM(B2:B\(total))", value: Double(report.totalTokens), .totalCount)
        try sheet.formula(total, 2, "=SUM(C2:C\(total))", value: Money.double(report.totalCost), .totalUSD)
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }

    private static func lineItems(_ report: Report, _ sheet: XLSXSheet) throws {
        try sheet.header(0, ["Day", "Gateway", "Model", "Token type", "Tokens", "Cost (USD)"])
        let rows = report.usageRows(hourly: false)
        for (index, row) in rows.enumerated() {
            try sheet.date(index + 1, 0, row.start, in: report.period.timeZone)
            try sheet.text(index + 1, 1, row.key.gateway)
            try sheet.text(index + 1, 2, row.key.model)
            try sheet.text(index + 1, 3, row.key.tokenType)
            try sheet.number(index + 1, 4, Double(row.tokens), .count)
            try sheet.number(index + 1, 5, row.cost, .usdPrecise)
        }
        sheet.freeze(rows: 1)
        try sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(rows.count, 1), lastColumn: 5)
        try sheet.fitColumns()
    }
}
