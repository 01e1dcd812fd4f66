import Foundation

/// The Markdown values of the "What changed" section.
enum MarkdownChanges {
    /// `false` when the report has no comparison (`--no-compare`), else the section's values.
    static func make(_ report: Report) -> Any {
        guard let comparison = report.comparison else { return false }
        let zone = report.period.timeZone
        let rows: [[String: Any]] = comparison.rows.map { row in
            [
                "scope": row.scope.rawValue, "name": row.name, "cost": Formatting.money(row.cost),
                "previous": Formatting.money(row.previousCost), "change": ChangeRow.signed(row.change),
                "percent": row.percentText ?? "",
                "volume": ChangeRow.signed(row.volume), "price": ChangeRow.signed(row.price),
                "mix": ChangeRow.signed(row.mix),
            ]
        }
        let movers = (comparison.movers(.team) + comparison.movers(.model)).map(\.sentence)
        return [
            "previous": comparison.previousText,
            "unavailable": comparison.unavailable ?? false,
            "hasRows": !rows.isEmpty,
            "rows": rows,
            "total": comparison.total?.sentence ?? "",
            "movers": movers,
            "hasMovers": !movers.isEmpty,
            "previousDataStart": comparison.previousDataStart.map { DateText.rfc3339($0, in: zone) } ?? false,
        ] as [String: Any]
    }
}
