import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-forecast.csv`: for a running period, the total and each team's cents so
    /// far, the projected cents of the whole period and its range, the budget, and the day (in the
    /// report's zone) the projection reaches it (empty when it does not, or there is no budget).
    public static func forecast(_ forecast: Forecast, zone: TimeZone) -> String {
        var table = CSVTable(header: [
            "scope", "name", "cost_so_far", "forecast", "forecast_low", "forecast_high", "budget",
            "budget_crossed_on",
        ])
        for row in forecast.rows {
            table.append([
                .text(row.scope.rawValue), .text(row.name), .number(DecimalText.cents(row.soFar)),
                .number(DecimalText.cents(row.forecast)), .number(DecimalText.cents(row.low)),
                .number(DecimalText.cents(row.high)), row.budget.map { .number(DecimalText.cents($0)) } ?? .empty,
                row.budgetCrossedOn.map { .number(DateText.day($0, in: zone)) } ?? .empty,
            ])
        }
        return table.text
    }
}
