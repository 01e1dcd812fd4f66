import ChargebackModel
import Foundation

/// The Forecast sheet of a running period: the total and each team's cents so far, the projected
/// period and its range, the budget and the day it is reached, then the thresholds the projection
/// reaches and the method.
enum WorkbookForecast {
    static let name = "Forecast"

    static func write(_ forecast: Forecast, zone: TimeZone, currency: Currency, _ sheet: XLSXSheet) throws {
        try sheet.header(
            0,
            [
                "Scope", "Name", "So far (\(sheet.currency))", "Forecast (\(sheet.currency))",
                "Low (\(sheet.currency))", "High (\(sheet.currency))", "Budget (\(sheet.currency))",
                "Budget reached on",
            ])
        for (index, row) in forecast.rows.enumerated() {
            let line = index + 1
            let format: XLSXFormat = row.scope == .total ? .bold : .plain
            try sheet.text(line, 0, row.scope.rawValue, format)
            try sheet.text(line, 1, row.name, format)
            try sheet.number(line, 2, row.soFar, .money)
            try sheet.number(line, 3, row.forecast, .money)
            try sheet.number(line, 4, row.low, .money)
            try sheet.number(line, 5, row.high, .money)
            if let budget = row.budget { try sheet.number(line, 6, budget, .money) }
            if let day = row.budgetCrossedOn { try sheet.date(line, 7, day, in: zone) }
        }
        var row = forecast.rows.count + 2
        if !forecast.rows.isEmpty {
            // The whole row of a budget the projection reaches.
            try sheet.conditionalFormat(XLSXRange(1, 0, forecast.rows.count, 7), .formula("=ISNUMBER($H2)", .breach))
        }
        for crossing in forecast.crossings {
            try sheet.text(
                row, 0,
                "At this pace the \(crossing.window.rawValue) threshold of "
                    + "\(currency.format(crossing.threshold)) is reached on \(DateText.day(crossing.on, in: zone)) "
                    + "(\(crossing.label): \(currency.format(crossing.cost)) projected).")
            row += 1
        }
        try sheet.text(
            row + 1, 0,
            "Projected from \(DateText.rfc3339(forecast.asOf, in: zone)). " + Forecast.method + " "
                + ForecastBacktest.sentence, .note)
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
