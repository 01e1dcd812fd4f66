import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-changes.csv`: per total, team, gateway and model the cents of this
    /// period and the previous one, the change, its percent of the previous cost (one decimal,
    /// empty when that was zero) and the volume, price and mix effects, which add up to the change.
    /// Only the header when the previous period had no data.
    public static func changes(_ comparison: Comparison) -> String {
        var table = CSVTable(header: [
            "scope", "name", "cost", "previous_cost", "change", "change_pct", "volume_effect",
            "price_effect", "mix_effect",
        ])
        for row in comparison.rows {
            table.append([
                .text(row.scope.rawValue), .text(row.name), .number(DecimalText.cents(row.cost)),
                .number(DecimalText.cents(row.previousCost)), .number(DecimalText.cents(row.change)),
                row.changePercent.map { .number(DecimalText.plain($0, minScale: 1)) } ?? .empty,
                .number(DecimalText.cents(row.volume)), .number(DecimalText.cents(row.price)),
                .number(DecimalText.cents(row.mix)),
            ])
        }
        return table.text
    }
}
