import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// The "To reproduce" command of the Markdown and the workbook: the run's command line with its
/// period made absolute and the facts of one run left out, so re-runs on the same data print the
/// same line (manifest.json keeps the command as typed).
///
/// - `--period last-month` (any `--period`) becomes the period's label, `--period 2026-11`; a
///   partial period also gets the run time as `--as-of` unless the command gave one;
/// - `--prometheus-url` is left out (the files name the config's URL and say when it was
///   replaced), and so are the options that change no figure: `--output`, `--mail`,
///   `--wait-lock`, `--quiet`, `--verbose` and `--log-format`.
public enum ReproduceLine {
    /// The options left out, each with whether it takes a value.
    static let runOnly: [String: Bool] = [
        "--prometheus-url": true, "--output": true, "-o": true, "--log-format": true, "--mail": false,
        "--wait-lock": false, "--quiet": false, "-q": false, "--verbose": false, "-v": false,
    ]

    /// The line for `report`: its period, and for a partial period the run time.
    public static func make(_ commandLine: [String], report: Report) -> String {
        make(commandLine, period: report.period, partialUpTo: report.partial ? report.generatedAt : nil)
    }

    /// - Parameters:
    ///   - commandLine: the command as run, `chargeback` first.
    ///   - partialUpTo: the run time of a partial period, else `nil`.
    static func make(_ commandLine: [String], period: Period, partialUpTo: Date?) -> String {
        var kept: [String] = []
        var index = 0
        var hasAsOf = false
        while index < commandLine.count {
            let argument = commandLine[index]
            index += 1
            let isOption = argument.hasPrefix("-") && index > 1
            let name = isOption ? String(argument.prefix { $0 != "=" }) : argument
            let inline = name.count < argument.count
            if let takesValue = runOnly[name], isOption {
                if takesValue && !inline { index += 1 }
                continue
            }
            if name == "--as-of" { hasAsOf = true }
            if name == "--period" && isOption {
                if !inline { index += 1 }
                kept += ["--period", period.label]
                continue
            }
            kept.append(argument)
        }
        if let partialUpTo, !hasAsOf {
            kept += ["--as-of", DateText.rfc3339(partialUpTo, in: period.timeZone)]
        }
        return ReportPipeline.shellLine(kept)
    }
}
