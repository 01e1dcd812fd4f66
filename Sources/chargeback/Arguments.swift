import ArgumentParser
import ChargebackCore
import Foundation

/// `--period`: a period's name; the time zone and the clock make it a ``Period`` later
/// (``PeriodOptions/resolve(config:now:)``). A name that is no period is refused by the options'
/// `validate()` with the library's message (exit 64).
struct PeriodArgument: ExpressibleByArgument {
    let text: String
    /// Why `text` is not a period, in the library's words; `nil` when it is one.
    let problem: String?

    init(argument: String) {
        text = argument
        problem = ArgumentProblem.of { _ = try Period.parse(argument, in: TimeZone(identifier: "UTC")!) }
    }
}

/// `--timezone`: an IANA time zone.
struct TimeZoneArgument: ExpressibleByArgument {
    /// The zone (UTC when ``problem`` says the name is none).
    let zone: TimeZone
    let problem: String?

    init(argument: String) {
        zone = TimeZone(identifier: argument) ?? TimeZone(identifier: "UTC")!
        problem =
            TimeZone(identifier: argument) == nil
            ? "--timezone '\(argument)' is not an IANA time zone (e.g. UTC, Europe/Berlin)" : nil
    }
}

/// `--format`: a comma-separated list of report formats.
struct FormatList: ExpressibleByArgument {
    let formats: Set<ReportFormat>
    let problem: String?

    init(argument: String) {
        formats = (try? ReportFormat.list(argument)) ?? []
        problem = ArgumentProblem.of { _ = try ReportFormat.list(argument) }
    }

    init(_ formats: Set<ReportFormat>) {
        self.formats = formats
        problem = nil
    }

    var defaultValueDescription: String {
        ReportFormat.allCases.filter(formats.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// The library's message for a flag value it refuses, kept for the options' `validate()`.
enum ArgumentProblem {
    static func of(_ check: () throws -> Void) -> String? {
        do {
            try check()
            return nil
        } catch {
            return (error as? LocalizedError)?.errorDescription ?? "\(error)"
        }
    }

    /// Throws the first problem as a usage error (exit 64).
    static func check(_ problems: String?...) throws {
        if let problem = problems.compactMap({ $0 }).first { throw ValidationError(problem) }
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
