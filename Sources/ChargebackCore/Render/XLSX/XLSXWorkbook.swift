import CXlsxWriter
import Foundation

/// A libxlsxwriter failure as a Swift error.
public struct XLSXError: Error, LocalizedError, Equatable {
    public let operation: String
    public let reason: String
    public var errorDescription: String? { "cannot write the workbook: \(operation) failed (\(reason))" }
}

/// A small, throwing, Swift-shaped wrapper over libxlsxwriter. Use one per file, from one thread;
/// call ``close()`` to write the file (it is not written otherwise).
public final class XLSXWorkbook {
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [XLSXFormat: UnsafeMutablePointer<lxw_format>] = [:]
    public let path: String

    /// - Parameter constantMemory: flush each row as it is finished (for very long sheets: rows
    ///   must then be written in order, and tables are not available).
    public init(path: String, constantMemory: Bool = false) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = 1
        workbook = path.withCString { workbook_new_opt($0, &options) }
        guard workbook != nil else { throw XLSXError(operation: "creating \(path)", reason: "out of memory or bad path") }
    }

    deinit {
        // A workbook that was never closed is discarded without writing anything.
        if workbook != nil { lxw_workbook_free(workbook) }
    }

    /// Adds a worksheet. Names are at most 31 characters and may not contain `[]:*?/\`.
    public func addSheet(_ name: String) throws -> XLSXSheet {
        guard let pointer = name.withCString({ workbook_add_worksheet(workbook, $0) }) else {
            throw XLSXError(operation: "adding sheet \(name)", reason: "invalid or duplicate name")
        }
        return XLSXSheet(pointer: pointer, workbook: self)
    }

    /// Sets title, subject, author and comments of the document.
    public func setProperties(title: String, subject: String, author: String, comments: String) throws {
        try title.withCString { title in
            try subject.withCString { subject in
                try author.withCString { author in
                    try comments.withCString { comments in
                        var properties = lxw_doc_properties()
                        properties.title = UnsafeMutablePointer(mutating: title)
                        properties.subject = UnsafeMutablePointer(mutating: subject)
                        properties.author = UnsafeMutablePointer(mutating: author)
                        properties.comments = UnsafeMutablePointer(mutating: comments)
                        try check(workbook_set_properties(workbook, &properties), "setting document properties")
                    }
                }
            }
        }
    }

    /// Writes the file. After this the workbook cannot be used.
    public func close() throws {
        let result = workbook_close(workbook)
        workbook = nil
        try check(result, "writing \(path)")
    }

    /// The libxlsxwriter format for a ``XLSXFormat``, created once.
    func format(_ format: XLSXFormat) -> UnsafeMutablePointer<lxw_format>? {
        if format == .plain { return nil }
        if let existing = formats[format] { return existing }
        guard let pointer = workbook_add_format(workbook) else { return nil }
        if format.bold { format_set_bold(pointer) }
        if let number = format.numberFormat { number.withCString { format_set_num_format(pointer, $0) } }
        if let fill = format.fillColor {
            format_set_bg_color(pointer, fill)
            format_set_pattern(pointer, UInt8(LXW_PATTERN_SOLID.rawValue))
        }
        if let color = format.fontColor { format_set_font_color(pointer, color) }
        formats[format] = pointer
        return pointer
    }

}

/// Cell formats used by the reports.
public struct XLSXFormat: Hashable, Sendable {
    public var bold = false
    public var numberFormat: String?
    public var fillColor: lxw_color_t?
    public var fontColor: lxw_color_t?

    public static let plain = XLSXFormat()
    public static let header = XLSXFormat(bold: true, fillColor: 0xDDEBF7)
    public static let count = XLSXFormat(numberFormat: "#,##0")
    public static let usd = XLSXFormat(numberFormat: "[$$-409]#,##0.00")
    public static let usdPrecise = XLSXFormat(numberFormat: "[$$-409]#,##0.000000")
    public static let percent = XLSXFormat(numberFormat: "0.0%")
    public static let date = XLSXFormat(numberFormat: "yyyy-mm-dd")
    public static let dateTime = XLSXFormat(numberFormat: "yyyy-mm-dd hh:mm")
    public static let totalUSD = XLSXFormat(bold: true, numberFormat: "[$$-409]#,##0.00")
    public static let totalCount = XLSXFormat(bold: true, numberFormat: "#,##0")
    public static let bold = XLSXFormat(bold: true)
    public static let breach = XLSXFormat(fillColor: 0xFFC7CE, fontColor: 0x9C0006)
    public static let warning = XLSXFormat(fillColor: 0xFFEB9C, fontColor: 0x9C5700)
}

/// A worksheet of an ``XLSXWorkbook``.
public final class XLSXSheet {
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    unowned let workbook: XLSXWorkbook
    private var widths: [Int: Double] = [:]

    init(pointer: UnsafeMutablePointer<lxw_worksheet>, workbook: XLSXWorkbook) {
        self.pointer = pointer
        self.workbook = workbook
    }

    /// Writes text as a string cell: never interpreted as a formula or number.
    public func text(_ row: Int, _ column: Int, _ value: String, _ format: XLSXFormat = .plain) throws {
        let clipped = value.count > 32767 ? String(value.prefix(32767)) : value
        try clipped.withCString {
            try check(worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), $0, workbook.format(format)),
                      "writing text at \(Self.cellName(row, column))")
        }
        fit(column, clipped.count)
    }

    /// Writes a number. NaN and infinity are refused.
    public func number(_ row: Int, _ column: Int, _ value: Double, _ format: XLSXFormat = .plain) throws {
        guard value.isFinite else {
            throw XLSXError(operation: "writing \(Self.cellName(row, column))", reason: "not a finite number")
        }
        try check(worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), value, workbook.format(format)),
                  "writing a number at \(Self.cellName(row, column))")
        fit(column, Self.displayWidth(value, format))
    }

    /// Writes a decimal amount as a number cell.
    public func number(_ row: Int, _ column: Int, _ value: Decimal, _ format: XLSXFormat = .usd) throws {
        try number(row, column, Money.double(value), format)
    }

    /// Writes a formula together with its computed value, so viewers that do not recalculate show it.
    public func formula(_ row: Int, _ column: Int, _ formula: String, value: Double, _ format: XLSXFormat = .plain) throws {
        guard value.isFinite else {
            throw XLSXError(operation: "writing \(Self.cellName(row, column))", reason: "not a finite number")
        }
        try formula.withCString {
            try check(worksheet_write_formula_num(pointer, lxw_row_t(row), lxw_col_t(column), $0, workbook.format(format), value),
                      "writing a formula at \(Self.cellName(row, column))")
        }
        fit(column, Self.displayWidth(value, format))
    }

    /// Writes an instant as a spreadsheet date-time in `zone` (spreadsheets have no zones).
    public func date(_ row: Int, _ column: Int, _ date: Date, in zone: TimeZone, _ format: XLSXFormat = .date) throws {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        // Excel serial: days since 1899-12-30.
        try number(row, column, local / 86400 + 25569, format)
        fit(column, format == .date ? 10 : 16)
    }

    /// A header row in bold with a fill.
    public func header(_ row: Int, _ titles: [String]) throws {
        for (column, title) in titles.enumerated() { try text(row, column, title, .header) }
    }

    /// Freezes the rows above `row` (the header stays visible when scrolling).
    public func freeze(rows row: Int) {
        worksheet_freeze_panes(pointer, lxw_row_t(row), 0)
    }

    /// An autofilter over a rectangle of cells.
    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws {
        try check(worksheet_autofilter(pointer, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow),
                                       lxw_col_t(lastColumn)), "adding an autofilter")
    }

    /// Sets every column to the width of its widest cell (within limits). Call after writing.
    public func fitColumns() throws {
        for (column, width) in widths {
            try check(worksheet_set_column(pointer, lxw_col_t(column), lxw_col_t(column), min(max(width + 2, 8), 80), nil),
                      "setting column widths")
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

    private func fit(_ column: Int, _ characters: Int) {
        widths[column] = max(widths[column] ?? 0, Double(characters))
    }

    private static func displayWidth(_ value: Double, _ format: XLSXFormat) -> Int {
        let digits = String(format: "%.0f", abs(value)).count
        return digits + digits / 3 + (format.numberFormat?.contains("0.00") == true ? 4 : 0) + 2
    }
}

/// Throws an ``XLSXError`` for a libxlsxwriter error code.
func check(_ result: lxw_error, _ operation: String) throws {
    guard result != LXW_NO_ERROR else { return }
    throw XLSXError(operation: operation, reason: String(cString: lxw_strerror(result)))
}
