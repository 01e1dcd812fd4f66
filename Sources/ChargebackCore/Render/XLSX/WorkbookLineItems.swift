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
        // Per line, its four texts prepared once (rows of a line repeat them), and whether the
        // current sheet's column widths have seen them; per number column, the widest value of the
        // sheet, fitted once in `flush` (the same widths as fitting every cell).
        let lineCount = data.report.lines.count
        var prepared = [[XLSXSheet.PreparedText]?](repeating: nil, count: lineCount)
        var fittedInSheet = [Bool](repeating: false, count: lineCount)
        // Formats are added to the workbook on first use, in the order the cells of a row use them.
        var formats: (date: XLSXSheet.ResolvedFormat, text: XLSXSheet.ResolvedFormat,
                      tokens: XLSXSheet.ResolvedFormat, cost: XLSXSheet.ResolvedFormat)?
        var widest: [Double?] = [nil, nil, nil]
        func widen(_ slot: Int, _ value: Double) {
            if let current = widest[slot], current.magnitude >= value.magnitude { return }
            widest[slot] = value
        }
        func flush(_ sheet: XLSXSheet) {
            guard let formats else { return }
            if let value = widest[0] { sheet.fitNumber(0, value, formats.date) }
            if let value = widest[1] { sheet.fitNumber(5, value, formats.tokens) }
            if let value = widest[2] { sheet.fitNumber(6, value, formats.cost) }
            widest = [nil, nil, nil]
            fittedInSheet = [Bool](repeating: false, count: lineCount)
        }
        var lastStart: Date?
        var lastSerial = 0.0
        try data.report.forEachUsageRowWithLine(hourly: hourly) { line, item in
            if row > WorkbookData.lineItemRowsPerSheet {
                flush(sheets[sheetIndex])
                try finish(sheets[sheetIndex])
                sheetIndex += 1
                guard sheetIndex < sheets.count else {
                    throw XLSXError(operation: "writing line items", reason: "more rows than counted")
                }
                try start(sheets[sheetIndex])
            }
            let sheet = sheets[sheetIndex]
            let cells: (date: XLSXSheet.ResolvedFormat, text: XLSXSheet.ResolvedFormat,
                        tokens: XLSXSheet.ResolvedFormat, cost: XLSXSheet.ResolvedFormat)
            if let formats {
                cells = formats
            } else {
                cells = (try sheet.resolve(dateFormat), try sheet.resolve(.plain), try sheet.resolve(.count),
                         try sheet.resolve(.usdPrecise))
                formats = cells
            }
            if item.start != lastStart {
                lastStart = item.start
                lastSerial = XLSXSheet.serial(item.start, in: zone)
            }
            try sheet.number(row, 0, lastSerial, cells.date, fitted: false)
            widen(0, lastSerial)
            let texts: [XLSXSheet.PreparedText]
            if let ready = prepared[line] {
                texts = ready
            } else {
                texts = [item.key.gateway, item.key.model, item.key.tokenType, item.key.system].map(XLSXSheet.prepare)
                prepared[line] = texts
            }
            let fit = !fittedInSheet[line]
            fittedInSheet[line] = true
            for (offset, text) in texts.enumerated() { try sheet.text(row, 1 + offset, text, cells.text, fitted: fit) }
            let tokenValue = Double(item.tokens)
            try sheet.number(row, 5, tokenValue, cells.tokens, fitted: false)
            widen(1, tokenValue)
            let costValue = Money.double(item.cost)
            try sheet.number(row, 6, costValue, cells.cost, fitted: false)
            widen(2, costValue)
            tokens += item.tokens
            cost += item.cost
            row += 1
        }
        flush(sheets[sheetIndex])
        try finish(sheets[sheetIndex])
        while sheetIndex + 1 < sheets.count {
            sheetIndex += 1
            try start(sheets[sheetIndex])
            try finish(sheets[sheetIndex])
        }
    }
}
