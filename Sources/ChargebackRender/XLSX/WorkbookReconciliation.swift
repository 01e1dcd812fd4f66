import ChargebackModel
import Foundation

/// The Reconciliation sheet: the rows of `chargeback-<period>-reconciliation.csv` with what the
/// invoice says of each; written when the report has invoices.
enum WorkbookReconciliation {
    static let name = "Reconciliation"

    static func write(_ data: WorkbookData, _ sheet: XLSXSheet) throws {
        let result = data.report.invoiceReconciliation
        let zone = data.report.period.timeZone
        try sheet.header(
            0,
            [
                "Provider", "Model", "From", "To", "Measured (\(sheet.currency))",
                "Invoiced (\(sheet.currency))", "Difference (\(sheet.currency))",
                "Difference", "Status", "The invoice says",
            ])
        for (index, row) in result.rows.enumerated() {
            let line = index + 1
            try sheet.text(line, 0, row.provider)
            try sheet.text(line, 1, row.model)
            try sheet.text(line, 2, DateText.rfc3339(row.start, in: zone))
            try sheet.text(line, 3, DateText.rfc3339(row.end, in: zone))
            try sheet.number(line, 4, row.measured, .money)
            try sheet.number(line, 5, row.invoiced, .money)
            try sheet.number(line, 6, row.difference, .money)
            if let percent = row.differencePercent { try sheet.number(line, 7, Money.double(percent / 100), .percent) }
            try sheet.text(line, 8, row.status.rawValue)
            try sheet.text(line, 9, row.explanation.joined(separator: "; "))
        }
        let total = result.rows.count + 1
        try sheet.text(total, 0, "Total", .bold)
        for (column, value) in [
            (4, result.measuredTotal), (5, result.invoicedTotal),
            (6, result.invoicedTotal - result.measuredTotal),
        ] {
            let letter = XLSXSheet.columnName(column)
            try sheet.formula(
                total, column, "=SUM(\(letter)2:\(letter)\(total))", value: Money.double(value), .totalMoney)
        }
        try sheet.text(
            total + 2, 0,
            "Measured is list price less discounts; within \(DecimalText.plain(result.tolerancePercent, minScale: 0)) % "
                + "a row is ok; over: the invoice bills more than was measured.", .note)
        sheet.freeze(rows: 1)
        try sheet.fitColumns()
    }
}
