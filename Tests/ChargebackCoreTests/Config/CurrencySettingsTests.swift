import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// `currency:` and `exchange_rates:` of chargeback.yaml: read, checked against the ISO 4217 table,
/// and the rate in force at a period's start chosen.
final class CurrencySettingsTests: XCTestCase {
    private let temporary = TemporaryFolder("cb-currency")
    override func tearDown() { temporary.remove() }

    static let main = """
        prometheus: { url: http://127.0.0.1:9090 }
        pricing: pricing.yaml
        teams: teams.yaml
        currency: EUR
        exchange_rates:
          - { from: USD, to: EUR, rate: 0.92, date: 2026-09-01 }
          - { from: USD, to: EUR, rate: 0.95, date: 2026-10-01 }
        """

    func load(_ config: String, pricing: String = "models: []\n") throws -> ChargebackConfig {
        let files = [
            "chargeback.yaml": config, "pricing.yaml": pricing, "teams.yaml": "teams: [ { name: A } ]\nrules: []\n",
        ]
        for (name, text) in files {
            try text.write(to: temporary.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try ConfigLoader.load(path: temporary.url.appendingPathComponent("chargeback.yaml").path)
    }

    func testTheCurrencyAndItsRatesAreRead() throws {
        let config = try load(Self.main)
        XCTAssertEqual(config.currency.currency, "EUR")
        XCTAssertEqual(config.currency.line, 4)
        XCTAssertEqual(config.currency.rates.map(\.rate), [Decimal(string: "0.92")!, Decimal(string: "0.95")!])
        XCTAssertEqual(config.currency.rates.map(\.date), ["2026-09-01", "2026-10-01"])
        XCTAssertTrue(config.currency.rates[1].origin.hasSuffix("chargeback.yaml:7"), config.currency.rates[1].origin)
        XCTAssertEqual(config.pricing.currency, "USD", "prices stay in USD unless pricing.yaml says otherwise")
        XCTAssertEqual(try load(Self.main, pricing: "currency: JPY\nmodels: []\n").pricing.currency, "JPY")
        XCTAssertEqual(
            try load("prometheus: { url: http://p:9090 }\npricing: pricing.yaml\nteams: teams.yaml\n")
                .currency, CurrencySettings())
    }

    /// Each bad value exits 64 naming chargeback.yaml, its line, and the field.
    func testBadCurrenciesAndRatesNameFileLineAndField() throws {
        let cases: [(from: String, to: String, line: Int, contains: String)] = [
            ("currency: EUR", "currency: EURO", 4, "currency: 'EURO' is not an ISO 4217"),
            ("currency: EUR", "currency: eur", 4, "write it in capitals"),
            ("to: EUR, rate: 0.92", "to: XEU, rate: 0.92", 6, "exchange_rates[0].to: 'XEU'"),
            ("rate: 0.92", "rate: 0", 6, "exchange_rates[0].rate: must be greater than 0"),
            ("rate: 0.92", "rate: lots", 6, "exchange_rates[0].rate: expected a number"),
            ("date: 2026-09-01", "date: 2026-13-01", 6, "exchange_rates[0].date: expected a date"),
            ("date: 2026-09-01", "date: 2026-10-01", 7, "a second USD → EUR rate on 2026-10-01"),
            ("from: USD, to: EUR, rate: 0.92", "from: EUR, to: EUR, rate: 0.92", 6, "both EUR"),
            ("rate: 0.92, date", "rate: 0.92, when: 2026-09-01, date", 6, "unknown key 'when'"),
        ]
        for item in cases {
            let text = Self.main.replacingOccurrences(of: item.from, with: item.to)
            XCTAssertNotEqual(text, Self.main, item.to)
            XCTAssertThrowsError(try load(text), item.to) { error in
                guard let error = error as? InputError else { return XCTFail("\(item.to): \(error)") }
                XCTAssertTrue(error.file?.hasSuffix("chargeback.yaml") == true, error.errorDescription!)
                XCTAssertEqual(error.line, item.line, error.errorDescription!)
                XCTAssertTrue(error.message.contains(item.contains), "\(item.to): \(error.message)")
            }
        }
        XCTAssertThrowsError(try load(Self.main, pricing: "currency: Dollars\nmodels: []\n")) { error in
            XCTAssertTrue((error as? InputError)?.file?.hasSuffix("pricing.yaml") == true, "\(error)")
            XCTAssertEqual((error as? InputError)?.line, 1)
        }
    }

    /// The rate in force on the period's first day, in the report's zone: the latest dated on or before it.
    func testTheRateInForceAtThePeriodStartIsChosen() throws {
        let settings = try load(Self.main).currency
        let utc = TimeZone(identifier: "UTC")!
        func rate(_ period: String, _ zone: TimeZone = utc) throws -> Conversion {
            let period = try Period.parse(period, in: zone)
            return try Conversion.resolve(
                settings, bookCurrency: "USD", start: period.start, timeZone: zone, configFile: "chargeback.yaml")
        }
        XCTAssertEqual(try rate("2026-10").rate, Decimal(string: "0.95"))
        XCTAssertEqual(try rate("2026-10").date, "2026-10-01")
        XCTAssertEqual(try rate("2026-09-30").rate, Decimal(string: "0.92"))
        XCTAssertEqual(try rate("2026-11").rate, Decimal(string: "0.95"), "a rate stays in force until the next one")
        // October in Berlin starts at 2026-09-30T22:00Z, on the local 1 October: October's rate.
        XCTAssertEqual(try rate("2026-10", TimeZone(identifier: "Europe/Berlin")!).rate, Decimal(string: "0.95"))
        XCTAssertEqual(try rate("2026-10").minorUnits, 2)
        XCTAssertEqual(try rate("2026-10").sentence?.hasPrefix("1 USD = 0.95 EUR (rate of 2026-10-01, "), true)
        XCTAssertThrowsError(try rate("2026-08")) { error in
            let error = error as? InputError
            XCTAssertEqual(error?.file, "chargeback.yaml")
            XCTAssertEqual(error?.line, 4, "at the currency: key")
            XCTAssertTrue(error?.message.contains("no exchange rate from USD to EUR is in force on 2026-08-01") == true)
        }
        // Prices already in the report's currency need no rate.
        let same = try Conversion.resolve(
            CurrencySettings(currency: "JPY"), bookCurrency: "JPY", start: Date(), timeZone: utc, configFile: "c")
        XCTAssertFalse(same.converts)
        XCTAssertEqual(same.minorUnits, 0)
    }

    func testMoneyIsShownInTheReportsCurrency() {
        XCTAssertEqual(Currency.usd.format(Decimal(string: "1234.5")!), "$1,234.50")
        XCTAssertEqual(Currency("EUR").format(Decimal(string: "-1234.5")!), "-€1,234.50")
        XCTAssertEqual(Currency("JPY").format(Decimal(string: "1234.5")!), "¥1,235")
        XCTAssertEqual(Currency("CHF").format(Decimal(7)), "CHF 7.00")
        let kuwaiti = Currency("KWD")
        XCTAssertEqual(XLSXFormat.money.concrete(in: kuwaiti).numberFormat, "[$KWD ]#,##0.000")
        XCTAssertEqual(
            LimitFormula.reached("$C2", "$D2", kuwaiti), "=ROUND($C2*1000,0)>=ROUND($D2*1000,0)",
            "a workbook's threshold rule compares whole fils, not cents")
    }
}
