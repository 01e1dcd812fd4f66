import CXlsxWriter
import ChargebackModel
import Foundation

/// A worksheet of an ``XLSXWorkbook``. Rows and columns are zero-based.
public final class XLSXSheet {
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    /// The sheet's name, for references from formulas and charts.
    public let name: String
    let workbook: XLSXWorkbook
    private var widths: [Int: Int] = [:]
    /// Per column, the widest number so far and its format; measured only in ``fitColumns(minimum:maximum:)``.
    private var widestNumbers: [Int: (value: Double, format: XLSXFormat)] = [:]

    /// The currency of the workbook's amounts.
    public var currency: Currency { workbook.currency }

    init(pointer: UnsafeMutablePointer<lxw_worksheet>, name: String, workbook: XLSXWorkbook) {
        self.pointer = pointer
        self.name = name
        self.workbook = workbook
    }

    /// Writes text as a string cell: never interpreted as a formula or number.
    ///
    /// Control characters XML cannot hold become U+FFFD; text past Excel's 32,767 characters is cut.
    public func text(_ row: Int, _ column: Int, _ value: String, _ format: XLSXFormat = .plain) throws {
        let clean = Self.cellText(value)
        try clean.withCString {
            try check(
                worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), $0, try workbook.format(format)),
                "writing text at \(name)!\(Self.cellName(row, column))")
        }
        if !format.wrap { fit(column, clean.unicodeScalars.count + (format.bold ? 1 : 0)) }
    }

    /// Writes a number. NaN and infinity are refused.
    public func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXFormat = .plain) throws {
        guard value.isFinite else {
            throw XLSXError(operation: "writing \(name)!\(Self.cellName(row, column))", reason: "not a finite number")
        }
        try number(row, column, value, try resolve(format), fitted: true)
    }

    // MARK: - Many cells alike (Line Items)

    /// A cell format looked up once, for writing many cells with it.
    public struct ResolvedFormat {
        let format: XLSXFormat
        let pointer: UnsafeMutablePointer<lxw_format>?
    }

    /// A text checked and encoded once, for writing it in many cells.
    public struct PreparedText {
        /// The cell text (XML-illegal characters replaced), NUL-terminated.
        let bytes: ContiguousArray<CChar>
        /// Its width in characters, as ``text(_:_:_:_:)`` fits it.
        let characters: Int
    }

    /// The libxlsxwriter format of `format`, for the `ResolvedFormat` variants below.
    public func resolve(_ format: XLSXFormat) throws -> ResolvedFormat {
        ResolvedFormat(format: format.concrete(in: workbook.currency), pointer: try workbook.format(format))
    }

    /// Prepares `value` for ``text(_:_:_:_:fitted:)``.
    public static func prepare(_ value: String) -> PreparedText {
        let clean = cellText(value)
        return PreparedText(bytes: ContiguousArray(clean.utf8CString), characters: clean.unicodeScalars.count)
    }

    /// ``text(_:_:_:_:)`` with a prepared text and a resolved format. With `fitted: false` the
    /// column width is not updated: call ``fit(_:_:_:)`` once for the text instead (the widths
    /// keep the maximum, so once is the same as every time).
    public func text(_ row: Int, _ column: Int, _ value: PreparedText, _ format: ResolvedFormat, fitted: Bool) throws {
        try value.bytes.withUnsafeBufferPointer { bytes in
            try check(
                worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), bytes.baseAddress, format.pointer),
                "writing text at \(name)!\(Self.cellName(row, column))")
        }
        if fitted { fit(column, value, format) }
    }

    /// Fits `column` to a prepared text as writing it with `format` would.
    public func fit(_ column: Int, _ value: PreparedText, _ format: ResolvedFormat) {
        if !format.format.wrap { fit(column, value.characters + (format.format.bold ? 1 : 0)) }
    }

    /// ``number(_:_:_:_:)`` with a resolved format. With `fitted: false` the column width is not
    /// updated: call ``fitNumber(_:_:_:)`` with the column's widest value instead.
    public func number(_ row: Int, _ column: Int, _ value: Double, _ format: ResolvedFormat, fitted: Bool) throws {
        guard value.isFinite else {
            throw XLSXError(operation: "writing \(name)!\(Self.cellName(row, column))", reason: "not a finite number")
        }
        try check(
            worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), value, format.pointer),
            "writing a number at \(name)!\(Self.cellName(row, column))")
        if fitted { fitNumber(column, value, format.format) }
    }

    /// Fits `column` to a number written with `format`, as ``number(_:_:_:_:)`` does for each cell.
    public func fitNumber(_ column: Int, _ value: Double, _ format: ResolvedFormat) {
        fitNumber(column, value, format.format)
    }

    /// Writes a decimal amount as a number cell (spreadsheets hold binary doubles).
    public func number(_ row: Int, _ column: Int, _ value: Decimal, _ format: XLSXFormat = .money) throws {
        try number(row, column, Money.double(value), format)
    }

    /// Writes a whole number, e.g. tokens.
    public func number(_ row: Int, _ column: Int, _ value: Int64, _ format: XLSXFormat = .count) throws {
        try number(row, column, Double(value), format)
    }

    /// Writes a formula together with its computed value, so viewers that do not recalculate show it.
    /// - Parameter formula: in English with `,` separators, e.g. `=SUM(B2:B32)`.
    public func formula(_ row: Int, _ column: Int, _ formula: String, value: Double, _ format: XLSXFormat = .plain)
        throws
    {
        guard value.isFinite else {
            throw XLSXError(operation: "writing \(name)!\(Self.cellName(row, column))", reason: "not a finite number")
        }
        try formula.withCString {
            try check(
                worksheet_write_formula_num(
                    pointer, lxw_row_t(row), lxw_col_t(column), $0,
                    try workbook.format(format), value),
                "writing a formula at \(name)!\(Self.cellName(row, column))")
        }
        fitNumber(column, value, format)
    }

    /// Writes an instant as a spreadsheet date-time of its wall-clock time in `zone` (cells have no zones).
    public func date(_ row: Int, _ column: Int, _ date: Date, in zone: TimeZone, _ format: XLSXFormat = .date) throws {
        try number(row, column, Self.serial(date, in: zone), format)
    }

    /// An empty cell that still carries a format (e.g. a fill).
    public func blank(_ row: Int, _ column: Int, _ format: XLSXFormat) throws {
        try check(
            worksheet_write_blank(pointer, lxw_row_t(row), lxw_col_t(column), try workbook.format(format)),
            "writing \(name)!\(Self.cellName(row, column))")
    }

    /// A header row.
    public func header(_ row: Int, _ titles: [String]) throws {
        for (column, title) in titles.enumerated() { try text(row, column, title, .header) }
    }

    /// Freezes the rows above `row` (the header stays visible when scrolling).
    public func freeze(rows row: Int) {
        worksheet_freeze_panes(pointer, lxw_row_t(row), 0)
    }

    /// An autofilter over a rectangle of cells (its first row holds the titles).
    public func autofilter(_ range: XLSXRange) throws {
        try check(
            worksheet_autofilter(
                pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn)),
            "adding an autofilter on \(name)")
    }

    /// Colours the cells of `range` that meet `condition` (the spreadsheet evaluates it when shown).
    public func conditionalFormat(_ range: XLSXRange, _ condition: XLSXCondition) throws {
        try condition.withLXW(workbook) { rule in
            try check(
                worksheet_conditional_format_range(
                    pointer, lxw_row_t(range.firstRow), lxw_col_t(range.firstColumn),
                    lxw_row_t(range.lastRow), lxw_col_t(range.lastColumn), rule),
                "adding a conditional format on \(name)")
        }
    }

    /// Places a chart with its top-left corner at a cell; `width` and `height` in pixels.
    public func insertChart(
        _ row: Int, _ column: Int, _ chart: XLSXChart, width: Double = 480, height: Double = 288,
        xOffset: Int = 0, description: String = ""
    ) throws {
        try description.withCString { text in
            var options = lxw_chart_options()
            options.x_offset = Int32(xOffset)
            options.x_scale = width / 480
            options.y_scale = height / 288
            options.description = description.isEmpty ? nil : UnsafeMutablePointer(mutating: text)
            try check(
                worksheet_insert_chart_opt(pointer, lxw_row_t(row), lxw_col_t(column), chart.pointer, &options),
                "placing a chart on \(name)")
        }
    }

    /// Prints landscape, one page wide, with the first `headerRows` rows repeated on every page and
    /// the sheet name and page number in the footer.
    public func printSetup(headerRows: Int) throws {
        worksheet_set_landscape(pointer)
        worksheet_fit_to_pages(pointer, 1, 0)
        if headerRows > 0 {
            try check(
                worksheet_repeat_rows(pointer, 0, lxw_row_t(headerRows - 1)), "setting the print titles of \(name)")
        }
        try check(worksheet_set_footer(pointer, "&L&A&RPage &P of &N"), "setting the footer of \(name)")
    }

    /// Makes a row tall enough for `lines` lines of wrapped text (spreadsheets do not grow rows
    /// written by a program). In constant-memory mode call it before the row's cells are written.
    public func setRowHeight(_ row: Int, lines: Int) throws {
        try check(
            worksheet_set_row(pointer, lxw_row_t(row), Self.rowHeight(lines: lines), nil),
            "setting the height of row \(row + 1) on \(name)")
    }

    /// How many lines `text` takes word-wrapped in a column `width` characters wide: each line
    /// takes whole words while they fit, and a word longer than a line is cut.
    public static func wrappedLines(_ text: String, width: Int) -> Int {
        let width = max(width, 1)
        var lines = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var used = 0
            lines += 1
            for word in paragraph.split(separator: " ") {
                var length = word.count
                if used > 0 && used + 1 + length <= width {
                    used += 1 + length
                    continue
                }
                if used > 0 { lines += 1 }
                while length > width {
                    lines += 1
                    length -= width
                }
                used = length
            }
        }
        return lines
    }

    /// Points a row needs for `lines` lines of the default 11-point font.
    public static func rowHeight(lines: Int) -> Double { 15 * Double(max(lines, 1)) }

    /// Sets a column's width in characters, overriding the fitted width.
    public func setWidth(_ column: Int, _ width: Int) {
        widths[column] = -width
    }

    /// Sets every column to the width of its widest cell, within `minimum…maximum` characters.
    /// Call after writing the sheet.
    public func fitColumns(minimum: Int = 8, maximum: Int = 60) throws {
        for (column, widest) in widestNumbers { fit(column, widest.format.displayWidth(widest.value)) }
        widestNumbers = [:]
        for (column, width) in widths.sorted(by: { $0.key < $1.key }) {
            let characters = width < 0 ? -width : min(max(width + 2, minimum), maximum)
            try check(
                worksheet_set_column(pointer, lxw_col_t(column), lxw_col_t(column), Double(characters), nil),
                "setting column widths on \(name)")
        }
    }

    /// `A1`-style name of a cell.
    public static func cellName(_ row: Int, _ column: Int) -> String {
        columnName(column) + String(row + 1)
    }

    /// `A`, `B`, … `Z`, `AA`, … for a zero-based column.
    public static func columnName(_ column: Int) -> String {
        var name = ""
        var index = column + 1
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// A sheet name quoted for a formula: `'Line Items'`.
    public static func reference(_ sheet: String) -> String {
        "'" + sheet.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The spreadsheet serial of an instant's wall-clock time in `zone` (days since 1899-12-30).
    package static func serial(_ date: Date, in zone: TimeZone) -> Double {
        (date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) / 86400 + 25569
    }

    /// Text as a cell may hold it: XML-illegal control characters replaced, at most 32,767 characters.
    static func cellText(_ value: String) -> String {
        // Fast path: most labels are short and clean.
        if value.utf8.count <= 32767, value.utf8.allSatisfy({ $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }),
            !value.unicodeScalars.contains(where: { $0.value == 0xFFFE || $0.value == 0xFFFF })
        {
            return value
        }
        var scalars = String.UnicodeScalarView()
        for scalar in value.unicodeScalars.prefix(32767) {
            let legal = scalar.value >= 0x20 || scalar == "\t" || scalar == "\n" || scalar == "\r"
            scalars.append(legal && scalar.value != 0xFFFE && scalar.value != 0xFFFF ? scalar : "\u{FFFD}")
        }
        return String(scalars)
    }

    private func fitNumber(_ column: Int, _ value: Double, _ format: XLSXFormat) {
        let format = format.concrete(in: workbook.currency)
        guard let widest = widestNumbers[column] else {
            widestNumbers[column] = (value, format)
            return
        }
        // A value in another format (a total, a date with its hour) is measured at once: a larger
        // number in a shorter format says nothing about its width.
        if widest.format != format {
            fit(column, format.displayWidth(value))
            return
        }
        if widest.value.magnitude < value.magnitude { widestNumbers[column] = (value, format) }
    }

    private func fit(_ column: Int, _ characters: Int) {
        guard let current = widths[column] else {
            widths[column] = characters
            return
        }
        if current >= 0 { widths[column] = max(current, characters) }
    }
}

/// A rectangle of cells, zero-based and inclusive.
public struct XLSXRange: Sendable, Equatable {
    public let firstRow: Int
    public let firstColumn: Int
    public let lastRow: Int
    public let lastColumn: Int

    public init(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// `B2:B32`.
    public var a1: String {
        XLSXSheet.cellName(firstRow, firstColumn) + ":" + XLSXSheet.cellName(lastRow, lastColumn)
    }
}
