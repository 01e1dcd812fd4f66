import ChargebackModel

/// The threshold rule of ``LimitStatus`` as a workbook formula, so that a cell's colour follows an
/// edited amount the way the report's status does: the amount and the limit compared in the
/// currency's minor units (reaching a limit exceeds it).
enum LimitFormula {
    /// `=ROUND(amount*100,0)>=ROUND(limit*100,0)` (whole cents; `*1000` for a currency of three
    /// decimals, `*1` for one of none), and with `ifLimit` only where the limit cell holds a number.
    static func reached(_ amount: String, _ limit: String, _ currency: Currency, ifLimit: Bool = false) -> String {
        let units = String(repeating: "0", count: currency.minorUnit)
        let rule = "ROUND(\(amount)*1\(units),0)>=ROUND(\(limit)*1\(units),0)"
        return ifLimit ? "=AND(ISNUMBER(\(limit)),\(rule))" : "=" + rule
    }
}
