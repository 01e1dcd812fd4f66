import ChargebackModel
import Foundation

/// The Markdown values of the "Forecast" section of a running period.
enum MarkdownForecast {
    /// `false` for a finished period, else the section's values.
    static func make(_ report: Report) -> Any {
        let currency = report.currency
        guard let forecast = report.forecast, let total = forecast.total else { return false }
        let zone = report.period.timeZone
        let rows: [[String: Any]] = forecast.rows.map { row in
            [
                "scope": row.scope.rawValue, "name": row.name, "soFar": currency.format(row.soFar),
                "forecast": currency.format(row.forecast),
                "range": "\(currency.format(row.low)) to \(currency.format(row.high))",
                "budget": row.budget.map(currency.format) ?? "",
                "crossed": row.budgetCrossedOn.map { DateText.day($0, in: zone) }
                    ?? (row.budget == nil ? "" : "not reached"),
            ]
        }
        let crossings: [String] = forecast.crossings.map { crossing in
            let window = crossing.window == .day ? "daily" : crossing.window == .week ? "weekly" : "monthly"
            return "the \(window) threshold of \(currency.format(crossing.threshold)) is reached on "
                + "\(DateText.day(crossing.on, in: zone)) "
                + "(\(crossing.label): \(currency.format(crossing.cost)) projected)"
        }
        return [
            "asOf": DateText.rfc3339(forecast.asOf, in: zone),
            "total": currency.format(total.forecast),
            "low": currency.format(total.low), "high": currency.format(total.high),
            "spread": DecimalText.plain(Money.round(forecast.spread * 100, scale: 1), minScale: 1) + " %",
            "rows": rows,
            "crossings": crossings,
            "hasCrossings": !crossings.isEmpty,
        ] as [String: Any]
    }
}
