import CXlsxWriter
import ChargebackModel

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
    /// An amount in the workbook's currency (``XLSXWorkbook/currency``), to this many decimals
    /// (`nil`: the currency's minor unit); the workbook writes the number format.
    public var money: MoneyPlaces?

    public enum MoneyPlaces: Hashable, Sendable {
        case minorUnit
        case fixed(Int)
    }

    public static let plain = XLSXFormat()
    public static let title = XLSXFormat(bold: true, fontSize: 16)
    public static let section = XLSXFormat(bold: true, fontSize: 12)
    public static let header = XLSXFormat(bold: true, fillColor: 0xDDEBF7)
    public static let note = XLSXFormat(italic: true, fontColor: 0x595959)
    public static let wrapped = XLSXFormat(wrap: true)
    public static let count = XLSXFormat(numberFormat: "#,##0")
    /// An amount in the workbook's currency to its minor unit.
    public static let money = XLSXFormat(money: .minorUnit)
    /// An exact amount (a unit price) to six decimals.
    public static let preciseMoney = XLSXFormat(money: .fixed(6))
    public static let percent = XLSXFormat(numberFormat: "0.0%")
    public static let precisePercent = XLSXFormat(numberFormat: "0.00%")
    /// Dates are centred, so they never run into the left-aligned text of the next column.
    public static let date = XLSXFormat(numberFormat: "yyyy-mm-dd", center: true)
    public static let dateTime = XLSXFormat(numberFormat: "yyyy-mm-dd hh:mm", center: true)
    public static let totalMoney = XLSXFormat(bold: true, money: .minorUnit)

    /// A chart axis's whole amounts: `$#,##0` for USD, else ``moneyFormat(_:decimals:)`` without decimals.
    static func chartMoney(_ currency: Currency) -> String {
        currency == Currency.usd ? "$#,##0" : moneyFormat(currency, decimals: 0)
    }

    /// `[$$-409]#,##0.00` for USD, `[$€]#,##0.00` for EUR, `[$¥]#,##0` for JPY, `[$CHF ]#,##0.00`…
    static func moneyFormat(_ currency: Currency, decimals: Int) -> String {
        let code = currency.code
        let symbol = code == "USD" ? "$$-409" : "$" + (["EUR": "€", "GBP": "£", "JPY": "¥"][code] ?? "\(code) ")
        return "[\(symbol)]#,##0" + (decimals > 0 ? "." + String(repeating: "0", count: decimals) : "")
    }

    /// This format with an amount's number format written for `currency`.
    func concrete(in currency: Currency) -> XLSXFormat {
        guard let money else { return self }
        var format = self
        format.money = nil
        switch money {
        case .minorUnit: format.numberFormat = Self.moneyFormat(currency, decimals: currency.minorUnit)
        case .fixed(let places): format.numberFormat = Self.moneyFormat(currency, decimals: places)
        }
        return format
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
