import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-trend.csv`: per period (oldest first, the report's own last) and team,
    /// the ledger's cents and billable tokens. A period with no data has no rows.
    public static func trend(_ trend: Trend) -> String {
        var table = CSVTable(header: ["period", "team", "cost", "tokens"])
        for point in trend.points {
            for figure in point.teams {
                table.append([
                    .text(point.period.label), .text(figure.team), .number(DecimalText.cents(figure.cost)),
                    .number(String(figure.tokens)),
                ])
            }
        }
        return table.text
    }
}
