import ChargebackModel
import Foundation

/// The Markdown values of the "What changed" section.
enum MarkdownChanges {
    /// `false` when the report has no comparison (`--no-compare`), else the section's values.
    static func make(_ report: Report) -> Any {
        let currency = report.currency
        guard let comparison = report.comparison else { return false }
        let zone = report.period.timeZone
        let rows: [[String: Any]] = comparison.rows.map { row in
            [
                "scope": row.scope.rawValue, "name": row.name, "cost": currency.format(row.cost),
                "previous": currency.format(row.previousCost), "change": ChangeRow.signed(row.change, in: currency),
                "percent": row.percentText ?? "",
                "volume": ChangeRow.signed(row.volume, in: currency),
                "price": ChangeRow.signed(row.price, in: currency),
                "mix": ChangeRow.signed(row.mix, in: currency),
            ]
        }
        let movers = (comparison.movers(.team) + comparison.movers(.model)).map { $0.sentence(in: currency) }
        return [
            "previous": comparison.previousText,
            "unavailable": comparison.unavailable ?? false,
            "hasRows": !rows.isEmpty,
            "rows": rows,
            "total": comparison.total?.sentence(in: currency) ?? "",
            "movers": movers,
            "hasMovers": !movers.isEmpty,
            "previousDataStart": comparison.previousDataStart.map { DateText.rfc3339($0, in: zone) } ?? false,
        ] as [String: Any]
    }
}
