import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The output formats of `report --format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case markdown, csv, xlsx, focus
}

/// What a `report` run should produce, beyond the config.
public struct ReportRequest: Sendable {
    public var period: Period
    public var formats: Set<ReportFormat>
    public var hourly: Bool
    public var outputDirectory: URL
    /// A user Mustache template for the Markdown report, with its path for messages.
    public var template: (path: String, text: String)?
    /// Also write a pack per team under `teams/` (`--split-by team`).
    public var splitByTeam: Bool
    /// The command line, for "how to reproduce" and the manifest.
    public var commandLine: [String]
    public var now: Date
    /// Write a report even when the token counter has no series at all (`--allow-empty`).
    public var allowEmpty = false
    /// Invoice files from `--invoice`, read besides the config's `invoices:`.
    public var invoices: [String] = []
    /// Fetch the bills of the config's `invoices:` sources (`report --no-fetch` turns it off).
    public var fetchInvoices = true
    /// `--basis`, overriding the config's `allocation.basis`.
    public var basis: AllocationBasis?
    /// Compare with the previous period (the command does unless `--no-compare`; off by default here,
    /// so a caller of the library asks for the second measurement on purpose).
    public var compare = false
    /// Project a running period to its end (the command does; off by default here).
    public var forecast = false
    /// How many periods before this one the trend shows (`--trend N`, 0 for none).
    public var trend = 0

    public init(
        period: Period, formats: Set<ReportFormat>, hourly: Bool, outputDirectory: URL,
        template: (path: String, text: String)? = nil, splitByTeam: Bool = false, commandLine: [String],
        now: Date = Date()
    ) {
        self.period = period
        self.formats = formats
        self.hourly = hourly
        self.outputDirectory = outputDirectory
        self.template = template
        self.splitByTeam = splitByTeam
        self.commandLine = commandLine
        self.now = now
    }
}

extension ReportFormat {
    /// The formats of a comma-separated list such as `markdown,csv` (case and spaces do not matter).
    /// - Throws: ``InputError`` naming an unknown format or an empty list.
    public static func list(_ text: String) throws -> Set<ReportFormat> {
        var formats = Set<ReportFormat>()
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let value = ReportFormat(rawValue: name) else {
                throw InputError(
                    file: nil,
                    "unknown format '\(name)'; choose from "
                        + allCases.map(\.rawValue).joined(separator: ", "))
            }
            formats.insert(value)
        }
        guard !formats.isEmpty else { throw InputError(file: nil, "--format needs at least one format") }
        return formats
    }
}
