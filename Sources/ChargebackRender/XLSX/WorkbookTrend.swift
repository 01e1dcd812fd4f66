import ChargebackModel
import Foundation

/// The Trend sheet: one row per period (oldest first, the report's own last), the cents of each
/// team and their total as a formula, and a line chart of cost per team.
enum WorkbookTrend {
    static let name = "Trend"

    static func write(_ trend: Trend, _ sheet: XLSXSheet, _ workbook: XLSXWorkbook) throws {
        let teams = trend.teams
        let totalColumn = teams.count + 1
        try sheet.header(
            0, ["Period"] + teams.map { "\($0) (\(sheet.currency))" } + ["Total (\(sheet.currency))", "Note"])
        for (index, point) in trend.points.enumerated() {
            let row = index + 1
            try sheet.text(row, 0, point.period.label)
            if let reason = point.unavailable {
                try sheet.text(row, totalColumn + 1, "No data: \(reason)", .note)
                continue
            }
            for (column, team) in teams.enumerated() {
                try sheet.number(row, column + 1, trend.cost(team, in: point), .money)
            }
            let range = "B\(row + 1):\(XLSXSheet.columnName(teams.count))\(row + 1)"
            try sheet.formula(
                row, totalColumn, teams.isEmpty ? "=0" : "=SUM(\(range))", value: Money.double(point.cost),
                .totalMoney)
            if point.partial { try sheet.text(row, totalColumn + 1, "so far (partial period)", .note) }
        }
        let last = trend.points.count
        if last > 0 && !teams.isEmpty {
            let chart = try workbook.addChart(.line)
            chart.title("Cost per team and period")
            for (column, team) in teams.enumerated() {
                try chart.addSeries(
                    name: team, sheet: name, categories: XLSXRange(1, 0, last, 0),
                    values: XLSXRange(1, column + 1, last, column + 1))
            }
            chart.axes(
                category: "Period", value: sheet.currency.code, valueFormat: XLSXFormat.chartMoney(sheet.currency))
            chart.legend(visible: true)
            try sheet.insertChart(last + 2, 0, chart, width: 640, height: 320, description: "Cost per team and period")
        }
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
