import CXlsxWriter
import ChargebackModel
import Foundation

/// A libxlsxwriter failure as a Swift error.
public struct XLSXError: Error, LocalizedError, Equatable {
    public let operation: String
    public let reason: String
    public var errorDescription: String? { "cannot write the workbook: \(operation) failed (\(reason))" }
}

/// Document properties of a workbook (File ▸ Properties in a spreadsheet).
public struct XLSXProperties: Sendable {
    public var title = ""
    public var subject = ""
    public var author = ""
    public var keywords = ""
    public var comments = ""
    /// The creation time stored in the file (and in its zip entries): a fixed value gives
    /// byte-identical files for identical contents.
    public var created: Date?
    /// Custom text properties, in order.
    public var custom: [(name: String, value: String)] = []

    public init() {}
}

/// A small, throwing, Swift-shaped wrapper over libxlsxwriter. Use one per file, from one thread;
/// call ``close()`` to write the file (it is not written otherwise).
///
/// With `constantMemory` every sheet is flushed row by row: rows of a sheet must be written top
/// to bottom (writing above the current row throws), and tables are not available.
public final class XLSXWorkbook {
    private var workbook: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [XLSXFormat: UnsafeMutablePointer<lxw_format>] = [:]
    public let path: String
    /// The currency of the amounts (``XLSXFormat/money``).
    public let currency: Currency

    /// - Parameters:
    ///   - constantMemory: flush each row as it is finished (for sheets of a million rows).
    ///   - currency: the currency of every amount of the workbook.
    /// - Throws: ``XLSXError`` when libxlsxwriter cannot start the file.
    public init(path: String, constantMemory: Bool = false, currency: Currency = .usd) throws {
        self.path = path
        self.currency = currency
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = 1
        workbook = path.withCString { workbook_new_opt($0, &options) }
        guard workbook != nil else {
            throw XLSXError(operation: "creating \(path)", reason: "out of memory or bad path")
        }
    }

    deinit {
        // A workbook that was never closed is discarded without writing anything.
        if workbook != nil { lxw_workbook_free(workbook) }
    }

    /// Adds a worksheet. Names are at most 31 characters and may not contain `[]:*?/\`.
    public func addSheet(_ name: String) throws -> XLSXSheet {
        let book = try open()
        guard let pointer = name.withCString({ workbook_add_worksheet(book, $0) }) else {
            throw XLSXError(operation: "adding sheet \(name)", reason: "invalid or duplicate name")
        }
        return XLSXSheet(pointer: pointer, name: name, workbook: self)
    }

    /// Adds a chart; place it on a sheet with ``XLSXSheet/insertChart(_:_:_:width:height:)``.
    public func addChart(_ kind: XLSXChart.Kind) throws -> XLSXChart {
        guard let pointer = workbook_add_chart(try open(), kind.rawValue) else {
            throw XLSXError(operation: "adding a chart", reason: "out of memory")
        }
        return XLSXChart(pointer: pointer)
    }

    /// Sets the document properties.
    public func setProperties(_ properties: XLSXProperties) throws {
        let book = try open()
        try properties.title.withCString { title in
            try properties.subject.withCString { subject in
                try properties.author.withCString { author in
                    try properties.keywords.withCString { keywords in
                        try properties.comments.withCString { comments in
                            var lxw = lxw_doc_properties()
                            lxw.title = UnsafeMutablePointer(mutating: title)
                            lxw.subject = UnsafeMutablePointer(mutating: subject)
                            lxw.author = UnsafeMutablePointer(mutating: author)
                            lxw.keywords = UnsafeMutablePointer(mutating: keywords)
                            lxw.comments = UnsafeMutablePointer(mutating: comments)
                            if let created = properties.created { lxw.created = time_t(created.timeIntervalSince1970) }
                            try check(workbook_set_properties(book, &lxw), "setting document properties")
                        }
                    }
                }
            }
        }
        for (name, value) in properties.custom {
            try check(workbook_set_custom_property_string(book, name, value), "setting the property \(name)")
        }
    }

    /// Writes the file. After this the workbook cannot be used.
    /// - Throws: ``XLSXError`` when the file cannot be written (the partial file is libxlsxwriter's to remove).
    public func close() throws {
        let book = try open()
        workbook = nil
        try check(workbook_close(book), "writing \(path)")
    }

    /// The libxlsxwriter format for a ``XLSXFormat``, created once.
    func format(_ format: XLSXFormat) throws -> UnsafeMutablePointer<lxw_format>? {
        let format = format.concrete(in: currency)
        if format == .plain { return nil }
        if let existing = formats[format] { return existing }
        guard let pointer = workbook_add_format(try open()) else {
            throw XLSXError(operation: "adding a cell format", reason: "out of memory")
        }
        if format.bold { format_set_bold(pointer) }
        if format.italic { format_set_italic(pointer) }
        if let size = format.fontSize { format_set_font_size(pointer, size) }
        if let number = format.numberFormat { number.withCString { format_set_num_format(pointer, $0) } }
        if let fill = format.fillColor {
            format_set_bg_color(pointer, fill)
            format_set_pattern(pointer, UInt8(LXW_PATTERN_SOLID.rawValue))
        }
        if let color = format.fontColor { format_set_font_color(pointer, color) }
        if format.wrap {
            format_set_text_wrap(pointer)
            format_set_align(pointer, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        }
        if format.center { format_set_align(pointer, UInt8(LXW_ALIGN_CENTER.rawValue)) }
        formats[format] = pointer
        return pointer
    }

    private func open() throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let workbook else {
            throw XLSXError(operation: "using \(path)", reason: "the workbook is already closed")
        }
        return workbook
    }
}

/// Throws an ``XLSXError`` for a libxlsxwriter error code (`operation` is only built on failure).
func check(_ result: lxw_error, _ operation: @autoclosure () -> String) throws {
    guard result != LXW_NO_ERROR else { return }
    throw XLSXError(operation: operation(), reason: String(cString: lxw_strerror(result)))
}

extension XLSXError: ExitCodeError {
    public var exitCode: Int32 { ExitStatus.failure }
}
