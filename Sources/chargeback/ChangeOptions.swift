import ArgumentParser
import ChargebackCore

/// What a report says beyond its own period: the comparison with the previous one and the trend.
struct ChangeOptions: ParsableArguments {
    @Flag(
        name: .customLong("no-compare"),
        help: "Skip the comparison with the previous period (What changed, -changes.csv, the Changes sheet).")
    var noCompare = false

    @Option(
        help: ArgumentHelp(
            "Also show the N periods before this one (0 to 24): a Trend section, sheet and -trend.csv.",
            discussion: "Example: --trend 6. Each past period is measured exactly; only its totals per team are kept.",
            valueName: "N"))
    var trend = 0

    @Option(
        name: .customLong("group-by"),
        help: ArgumentHelp(
            "Also break the cost down by these labels: a Markdown table, a workbook sheet and -by-<label>.csv each.",
            discussion: "Example: --group-by route,user_id (any label of the token counter).", valueName: "labels"))
    var groupBy: String?

    func validate() throws {
        if let groupBy {
            do { _ = try ChargebackConfig.groupLabels(groupBy) } catch {
                throw ValidationError(error.localizedDescription)
            }
        }
        guard (0...Trend.maxPeriods).contains(trend) else {
            throw ValidationError("--trend \(trend) is not between 0 and \(Trend.maxPeriods)")
        }
    }

    /// The config with the `--group-by` labels.
    func apply(to config: ChargebackConfig) throws -> ChargebackConfig {
        var config = config
        if let groupBy { config.groupBy = try ChargebackConfig.groupLabels(groupBy) }
        return config
    }

    /// Sets the request's comparison and trend from the flags.
    func apply(to request: inout ReportRequest) {
        request.compare = !noCompare
        request.trend = trend
        request.forecast = true
    }
}
