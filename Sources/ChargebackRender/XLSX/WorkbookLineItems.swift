import ChargebackModel
import Foundation

/// The Line Items sheet: the ledger's lines, one per day (or hour) × gateway × model × token type
/// and price, with measured and billable tokens, the unit price and the line's cents, streamed
/// row by row so a million rows take little memory; rows past one sheet's limit go on to
/// `Line Items (2)` and so on. Each sheet ends with a total row of formulas. When some figure rests
/// on an estimated counter start, a last column holds each row's tokens that do.
enum WorkbookLineItems {
    private static func titles(_ currency: Currency) -> [String] {
        [
            "Gateway", "Model", "Token type", "Provider", "Tokens", "Billable tokens",
            "Unit price (\(currency) per million)", "Cost (\(currency))",
        ]
    }

    static func write(_ data: WorkbookData, _ sheets: [XLSXSheet]) throws {
        let zone = data.report.period.timeZone
        let ledger = data.report.allocation.ledger
        let hourly = ledger.hourly
        let marks = data.report.hasEstimates
        let dateFormat: XLSXFormat = hourly ? .dateTime : .date
        var sheetIndex = 0
        var row = 0
        var tokens: Int64 = 0
        var billableTokens: Int64 = 0
        var estimatedTokens: Int64 = 0
        var cost: Decimal = 0
        func start(_ sheet: XLSXSheet) throws {
            try sheet.header(
                0, [hourly ? "Hour" : "Day"] + titles(sheet.currency) + (marks ? ["Estimated tokens"] : []))
            // In constant-memory mode the filter must be set before the rows it covers are written.
            let rows = min(
                WorkbookData.lineItemRowsPerSheet,
                max(data.lineItemCount - sheetIndex * WorkbookData.lineItemRowsPerSheet, 0))
            try sheet.autofilter(XLSXRange(0, 0, max(rows, 1), marks ? 9 : 8))
            row = 1
            tokens = 0
            billableTokens = 0
            estimatedTokens = 0
            cost = 0
        }
        func finish(_ sheet: XLSXSheet) throws {
            try sheet.text(row, 0, "Total", .bold)
            try sheet.formula(row, 5, "=SUM(F2:F\(row))", value: Double(tokens), .totalCount)
            try sheet.formula(row, 6, "=SUM(G2:G\(row))", value: Double(billableTokens), .totalCount)
            try sheet.formula(row, 8, "=SUM(I2:I\(row))", value: Money.double(cost), .totalMoney)
            if marks { try sheet.formula(row, 9, "=SUM(J2:J\(row))", value: Double(estimatedTokens), .totalCount) }
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
        var formats:
            (
                date: XLSXSheet.ResolvedFormat, text: XLSXSheet.ResolvedFormat,
                tokens: XLSXSheet.ResolvedFormat, price: XLSXSheet.ResolvedFormat, cost: XLSXSheet.ResolvedFormat
            )?
        var widest: [Double?] = [nil, nil, nil, nil, nil]
        func widen(_ slot: Int, _ value: Double) {
            if let current = widest[slot], current.magnitude >= value.magnitude { return }
            widest[slot] = value
        }
        func flush(_ sheet: XLSXSheet) {
            guard let formats else { return }
            if let value = widest[0] { sheet.fitNumber(0, value, formats.date) }
            if let value = widest[1] { sheet.fitNumber(5, value, formats.tokens) }
            if let value = widest[2] { sheet.fitNumber(6, value, formats.tokens) }
            if let value = widest[3] { sheet.fitNumber(7, value, formats.price) }
            if let value = widest[4] { sheet.fitNumber(8, value, formats.cost) }
            widest = [nil, nil, nil, nil, nil]
            fittedInSheet = [Bool](repeating: false, count: lineCount)
        }
        var lastStart: Date?
        var lastSerial = 0.0
        // Time first, then key, as the usage file: the ledger's lines by bucket (a stable counting sort).
        var perBucket = [Int](repeating: 0, count: ledger.buckets.count + 1)
        for line in ledger.lines { perBucket[line.bucket + 1] += 1 }
        for index in 1..<perBucket.count { perBucket[index] += perBucket[index - 1] }
        var order = [Int](repeating: 0, count: ledger.lines.count)
        for (index, line) in ledger.lines.enumerated() {
            order[perBucket[line.bucket]] = index
            perBucket[line.bucket] += 1
        }
        for index in order {
            let item = ledger.lines[index]
            let line = item.line
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
            let cells:
                (
                    date: XLSXSheet.ResolvedFormat, text: XLSXSheet.ResolvedFormat,
                    tokens: XLSXSheet.ResolvedFormat, price: XLSXSheet.ResolvedFormat, cost: XLSXSheet.ResolvedFormat
                )
            if let formats {
                cells = formats
            } else {
                cells = (
                    try sheet.resolve(dateFormat), try sheet.resolve(.plain), try sheet.resolve(.count),
                    try sheet.resolve(.preciseMoney), try sheet.resolve(.money)
                )
                formats = cells
            }
            let start =
                hourly
                ? data.report.buckets.hourStart(item.hours.lowerBound)
                : data.report.buckets.days[data.report.buckets.dayIndex(ofHour: item.hours.lowerBound)].start
            if start != lastStart {
                lastStart = start
                lastSerial = XLSXSheet.serial(start, in: zone)
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
            let billableValue = Double(item.billableTokens)
            try sheet.number(row, 6, billableValue, cells.tokens, fitted: false)
            widen(2, billableValue)
            if let price = item.unitPrice {
                let priceValue = Money.double(price)
                try sheet.number(row, 7, priceValue, cells.price, fitted: false)
                widen(3, priceValue)
            }
            let costValue = Money.double(item.cost)
            try sheet.number(row, 8, costValue, cells.cost, fitted: false)
            widen(4, costValue)
            if marks {
                let estimated = data.report.estimatedTokens(item.key, hours: item.hours)
                try sheet.number(row, 9, estimated, .count)
                estimatedTokens += estimated
            }
            tokens += item.tokens
            billableTokens += item.billableTokens
            cost.accumulate(item.cost)
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
