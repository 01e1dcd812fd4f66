import CXlsxWriter

/// A cell format of the reports: font, fill, number format and alignment.
///
/// Formats are values; ``XLSXWorkbook`` turns each distinct one into a libxlsxwriter format once.
public struct XLSXFormat: Hashable, Sendable {
    public var bold = false
    public var italic = false
    public var fontSize: Double?
    public var numberFormat: String?
    public var fillColor: lxw_color_t?
    public var fontColor: lxw_color_t?
    /// Wraps long text and aligns it to the top of the cell.
    public var wrap = false
    /// Centres the text in its cell (status words, so they never touch a right-aligned number beside them).
    public var center = false

    public static let plain = XLSXFormat()
    public static let title = XLSXFormat(bold: true, fontSize: 16)
    public static let section = XLSXFormat(bold: true, fontSize: 12)
    public static let header = XLSXFormat(bold: true, fillColor: 0xDDEBF7)
    public static let note = XLSXFormat(italic: true, fontColor: 0x595959)
    public static let wrapped = XLSXFormat(wrap: true)
    public static let count = XLSXFormat(numberFormat: "#,##0")
    /// Money in ``Formatting/currency`` to its minor unit (the name is from when that was always USD).
    public static var usd: XLSXFormat { XLSXFormat(numberFormat: money(decimals: nil)) }
    public static var usdPrecise: XLSXFormat { XLSXFormat(numberFormat: money(decimals: 6)) }
    public static let percent = XLSXFormat(numberFormat: "0.0%")
    public static let precisePercent = XLSXFormat(numberFormat: "0.00%")
    /// Dates are centred, so they never run into the left-aligned text of the next column.
    public static let date = XLSXFormat(numberFormat: "yyyy-mm-dd", center: true)
    public static let dateTime = XLSXFormat(numberFormat: "yyyy-mm-dd hh:mm", center: true)
    public static var totalUSD: XLSXFormat { XLSXFormat(bold: true, numberFormat: money(decimals: nil)) }

    /// A chart axis's whole amounts: `$#,##0` for USD, else ``money(decimals:)`` without decimals.
    static var chartMoney: String { Formatting.currency == "USD" ? "$#,##0" : money(decimals: 0) }

    /// `[$$-409]#,##0.00` for USD, `[$€]#,##0.00` for EUR, `[$¥]#,##0` for JPY, `[$CHF ]#,##0.00`…
    static func money(decimals: Int?) -> String {
        let code = Formatting.currency
        let places = decimals ?? CurrencyCodes.minorUnit(code) ?? 2
        let symbol = code == "USD" ? "$$-409" : "$" + (["EUR": "€", "GBP": "£", "JPY": "¥"][code] ?? "\(code) ")
        return "[\(symbol)]#,##0" + (places > 0 ? "." + String(repeating: "0", count: places) : "")
    }
    public static let totalCount = XLSXFormat(bold: true, numberFormat: "#,##0")
    public static let totalPercent = XLSXFormat(bold: true, numberFormat: "0.0%")
    public static let bold = XLSXFormat(bold: true)
    /// A status word (`ok`, `warning`, `exceeded`) in a column of its own, centred.
    public static let status = XLSXFormat(center: true)
    /// Conditional-format colours (Excel's "light red fill with dark red text" and its amber twin).
    public static let breach = XLSXFormat(fillColor: 0xFFC7CE, fontColor: 0x9C0006)
    public static let warning = XLSXFormat(fillColor: 0xFFEB9C, fontColor: 0x9C5700)

    /// Characters a value in this format takes on screen, roughly (for fitted column widths).
    func displayWidth(_ value: Double) -> Int {
        guard let numberFormat else { return 12 }
        if numberFormat.hasPrefix("yyyy") { return numberFormat.count }
        let magnitude = value.magnitude
        var digits = 1
        var limit = 10.0
        while magnitude >= limit && digits < 20 {
            digits += 1
            limit *= 10
        }
        if numberFormat.hasSuffix("%") { return digits + 5 }
        var width = digits + (digits - 1) / 3 + (value < 0 ? 1 : 0)
        if let dot = numberFormat.lastIndex(of: ".") {
            width += numberFormat[dot...].filter { $0 == "0" }.count + 1
        }
        if numberFormat.contains("$") { width += 1 }
        return width + (bold ? 1 : 0)
    }
}
