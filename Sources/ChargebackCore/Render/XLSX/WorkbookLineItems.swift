import Foundation

/// The Line Items sheet: measured usage per day (or hour) × gateway × model × token type, streamed
/// row by row so a million rows take little memory; rows past one sheet's limit go on to
/// `Line Items (2)` and so on. Each sheet ends with a total row of formulas.
enum WorkbookLineItems {
    private static let titles = ["Gateway", "Model", "Token type", "Provider", "Tokens", "Cost (USD)"]

    static func write(_ data: WorkbookData, _ sheets: [XLSXSheet]) throws {
        let zone = data.report.period.timeZone
        let hourly = data.options.hourly
        let dateFormat: XLSXFormat = hourly ? .dateTime : .date
        var sheetIndex = 0
        var row = 0
        var tokens: Int64 = 0
        var cost: Decimal = 0
        func start(_ sheet: XLSXSheet) throws {
            try sheet.header(0, [hourly ? "Hour" : "Day"] + titles)
            // In constant-memory mode the filter must be set before the rows it covers are written.
            let rows = min(WorkbookData.lineItemRowsPerSheet,
                           max(data.lineItemCount - sheetIndex * WorkbookData.lineItemRowsPerSheet, 0))
            try sheet.autofilter(XLSXRange(0, 0, max(rows, 1), 6))
            row = 1
            tokens = 0
            cost = 0
        }
        func finish(_ sheet: XLSXSheet) throws {
            try sheet.text(row, 0, "Total", .bold)
            try sheet.formula(row, 5, "=SUM(F2:F\(row))", value: Double(tokens), .totalCount)
            try sheet.formula(row, 6, "=SUM(G2:G\(row))", value: Money.double(cost), .totalUSD)
            sheet.freeze(rows: 1)
            try sheet.fitColumns()
        }
        guard let first = sheets.first else { return }
        try start(first)
        try data.report.forEachUsageRow(hourly: hourly) { item in
            if row > WorkbookData.lineItemRowsPerSheet {
                try finish(sheets[sheetIndex])
                sheetIndex += 1
                guard sheetIndex < sheets.count else {
                    throw XLSXError(operation: "writing line items", reason: "more rows than counted")
                }
                try start(sheets[sheetIndex])
            }
            let sheet = sheets[sheetIndex]
            try sheet.date(row, 0, item.start, in: zone, dateFormat)
            try sheet.text(row, 1, item.key.gateway)
            try sheet.text(row, 2, item.key.model)
            try sheet.text(row, 3, item.key.tokenType)
            try sheet.text(row, 4, item.key.system)
            try sheet.number(row, 5, item.tokens)
            try sheet.number(row, 6, item.cost, .usdPrecise)
            tokens += item.tokens
            cost += item.cost
            row += 1
        }
        try finish(sheets[sheetIndex])
        while sheetIndex + 1 < sheets.count {
            sheetIndex += 1
            try start(sheets[sheetIndex])
            try finish(sheets[sheetIndex])
        }
    }
}
