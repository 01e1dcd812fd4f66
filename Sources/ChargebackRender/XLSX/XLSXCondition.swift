import CXlsxWriter
import ChargebackModel

/// A conditional-format rule: when it holds for a cell, the spreadsheet shows the cell in `format`.
public enum XLSXCondition: Sendable {
    /// The cell's value is greater than `value`.
    case greaterThan(Double, XLSXFormat)
    /// The cell's value is within `low…high`.
    case between(Double, Double, XLSXFormat)
    /// A formula written for the top-left cell of the range (relative references move with the
    /// cell), e.g. `=$C2>$D2`.
    case formula(String, XLSXFormat)

    /// Runs `body` with the libxlsxwriter form of the rule (its strings live only during the call).
    func withLXW(_ workbook: XLSXWorkbook, _ body: (UnsafeMutablePointer<lxw_conditional_format>) throws -> Void) throws
    {
        var rule = lxw_conditional_format()
        switch self {
        case .greaterThan(let value, let format):
            guard value.isFinite else {
                throw XLSXError(operation: "adding a conditional format", reason: "not a finite number")
            }
            rule.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN.rawValue)
            rule.value = value
            rule.format = try workbook.format(format)
            try body(&rule)
        case .between(let low, let high, let format):
            guard low.isFinite, high.isFinite else {
                throw XLSXError(operation: "adding a conditional format", reason: "not a finite number")
            }
            rule.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
            rule.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_BETWEEN.rawValue)
            rule.min_value = low
            rule.max_value = high
            rule.format = try workbook.format(format)
            try body(&rule)
        case .formula(let text, let format):
            rule.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            rule.format = try workbook.format(format)
            try text.withCString { formula in
                rule.value_string = UnsafeMutablePointer(mutating: formula)
                try body(&rule)
            }
        }
    }
}
