import ChargebackModel
import Foundation

/// The Markdown values of the "Trend" section: one row per period, one column per team.
enum MarkdownTrend {
    /// `false` without `--trend`, else the header cells and rows (each a list of cells).
    static func make(_ report: Report) -> Any {
        let currency = report.currency
        guard let trend = report.trend else { return false }
        let teams = trend.teams
        let rows: [[String: Any]] = trend.points.map { point in
            let label = point.period.label + (point.partial ? " (so far)" : "")
            guard point.unavailable == nil else {
                return ["period": label, "cells": teams.map { _ in "" }, "total": "no data"]
            }
            return [
                "period": label, "cells": teams.map { currency.format(trend.cost($0, in: point)) },
                "total": currency.format(point.cost),
            ]
        }
        return ["teams": teams, "alignment": teams.map { _ in "---:" }, "rows": rows] as [String: Any]
    }
}
