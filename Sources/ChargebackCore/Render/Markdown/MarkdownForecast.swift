import Foundation

/// The Markdown values of the "Forecast" section of a running period.
enum MarkdownForecast {
    /// `false` for a finished period, else the section's values.
    static func make(_ report: Report) -> Any {
        guard let forecast = report.forecast, let total = forecast.total else { return false }
        let zone = report.period.timeZone
        let rows: [[String: Any]] = forecast.rows.map { row in
            [
                "scope": row.scope.rawValue, "name": row.name, "soFar": Formatting.money(row.soFar),
                "forecast": Formatting.money(row.forecast),
                "range": "\(Formatting.money(row.low)) to \(Formatting.money(row.high))",
                "budget": row.budget.map(Formatting.money) ?? "",
                "crossed": row.budgetCrossedOn.map { DateText.day($0, in: zone) }
                    ?? (row.budget == nil ? "" : "not reached"),
            ]
        }
        let crossings: [String] = forecast.crossings.map { crossing in
            let window = crossing.window == .day ? "daily" : crossing.window == .week ? "weekly" : "monthly"
            return "the \(window) threshold of \(Formatting.money(crossing.threshold)) is reached on "
                + "\(DateText.day(crossing.on, in: zone)) "
                + "(\(crossing.label): \(Formatting.money(crossing.cost)) projected)"
        }
        return [
            "asOf": DateText.rfc3339(forecast.asOf, in: zone),
            "total": Formatting.money(total.forecast),
            "low": Formatting.money(total.low), "high": Formatting.money(total.high),
            "spread": DecimalText.plain(Money.round(forecast.spread * 100, scale: 1), minScale: 1) + " %",
            "rows": rows,
            "crossings": crossings,
            "hasCrossings": !crossings.isEmpty,
        ] as [String: Any]
    }
}
