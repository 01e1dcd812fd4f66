import ChargebackModel
import Foundation
import XCTest

/// `DateText` computes dates by arithmetic; `Calendar` is the truth it must match.
final class DateTextTests: XCTestCase {
    func testDaysAndInstantsMatchTheCalendarInEveryZoneAndAcrossCenturies() throws {
        let zones = [
            "UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Kiritimati",
        ]
        .map { TimeZone(identifier: $0)! }
        var generator = SystemRandomNumberGenerator()
        // Leap days, century years (1900 and 2100 are not leap years, 2000 is), zone changes, and
        // random instants from 1901 to 2199 (fractions of a second included).
        var instants: [Double] = [
            -2_208_988_800, 951_782_400, 951_868_800, 4_107_456_000, 4_107_542_399, 1_792_965_600, 1_792_969_199.5,
            -1, -0.25, 0,
        ]
        for _ in 0..<3000 { instants.append(Double.random(in: -2_177_452_800...7_258_118_400, using: &generator)) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            for zone in zones {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
                let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
                XCTAssertEqual(DateText.day(date, in: zone), day, "\(seconds) in \(zone.identifier)")
                let offset = zone.secondsFromGMT(for: date)
                let suffix =
                    ["UTC", "GMT"].contains(zone.identifier)
                    ? "Z"
                    : String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
                XCTAssertEqual(
                    DateText.rfc3339(date, in: zone),
                    day + String(format: "T%02d:%02d:%02d", c.hour!, c.minute!, c.second!) + suffix,
                    "\(seconds) in \(zone.identifier)")
            }
        }
    }
}
