import ArgumentParser
import ChargebackCore
import Foundation

/// `--period`: a period's name, checked for form when parsed; the time zone and the clock make it a
/// ``Period`` later (``PeriodOptions/resolve(config:now:)``).
struct PeriodArgument: ExpressibleByArgument, Equatable {
    let text: String

    init?(argument: String) {
        guard (try? Period.parse(argument, in: TimeZone(identifier: "UTC")!)) != nil else { return nil }
        text = argument
    }
}

/// `--timezone`: an IANA time zone.
struct TimeZoneArgument: ExpressibleByArgument, Equatable {
    let zone: TimeZone

    init?(argument: String) {
        guard let zone = TimeZone(identifier: argument) else { return nil }
        self.zone = zone
    }
}

/// `--format`: a comma-separated list of report formats.
struct FormatList: ExpressibleByArgument, Equatable {
    let formats: Set<ReportFormat>

    init?(argument: String) {
        guard let formats = try? ReportFormat.list(argument) else { return nil }
        self.formats = formats
    }

    init(_ formats: Set<ReportFormat>) { self.formats = formats }

    var defaultValueDescription: String {
        ReportFormat.allCases.filter(formats.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// An optional `--at`-style flag: a date (UTC midnight) or an RFC 3339 time; now when absent.
enum InstantOption {
    static func parse(_ text: String?, flag: String, now: Date = Date()) throws -> Date {
        guard let text else { return now }
        guard let utc = TimeZone(identifier: "UTC"), let date = DateText.parseDateOrInstant(text, in: utc) else {
            throw InputError(file: nil, "\(flag) '\(text)' is not a date (2025-01-15) or RFC 3339 time")
        }
        return date
    }
}
