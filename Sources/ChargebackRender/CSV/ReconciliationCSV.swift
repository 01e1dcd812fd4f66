import ChargebackModel
import Foundation

extension CSVReports {
    /// `chargeback-<period>-reconciliation.csv`, with invoices: measured cost (list less discounts)
    /// against invoiced per provider × model pattern × invoice interval, in cents; `difference` is
    /// invoiced − measured, `difference_pct` of measured (empty when nothing was measured).
    public static func reconciliation(_ report: Report) -> String {
        var table = CSVTable(header: [
            "provider", "model", "period_start", "period_end", "measured_cost", "invoiced_cost",
            "difference", "difference_pct", "status",
        ])
        let zone = report.period.timeZone
        for row in report.invoiceReconciliation.rows {
            table.append([
                .text(row.provider), .text(row.model), .number(DateText.rfc3339(row.start, in: zone)),
                .number(DateText.rfc3339(row.end, in: zone)), .number(DecimalText.cents(row.measured)),
                .number(DecimalText.cents(row.invoiced)), .number(DecimalText.cents(row.difference)),
                row.differencePercent.map { .number(DecimalText.plain($0, minScale: 2)) } ?? .empty,
                .text(row.status.rawValue),
            ])
        }
        return table.text
    }
}
