import ArgumentParser
import ChargebackCore

extension AllocationBasis: ExpressibleByArgument {}

/// `--invoice FILE` (repeatable) and `--basis measured|invoice` of `report`.
struct InvoiceOptions: ParsableArguments {
    @Option(
        name: .customLong("invoice"),
        help: ArgumentHelp(
            "A provider invoice to reconcile against: FOCUS CSV, Anthropic cost report or OpenAI costs JSON "
                + "(told by content; repeatable; besides the config's invoices:).", valueName: "file"))
    var invoices: [String] = []

    @Option(
        help: ArgumentHelp(
            "What teams pay for: measured usage at the price book's prices, or the invoices "
                + "spread over the usage they cover (default: the config's allocation.basis, else measured).",
            valueName: "measured|invoice"))
    var basis: AllocationBasis?

    @Flag(
        name: .customLong("no-fetch"),
        help: ArgumentHelp(
            "Do not fetch the bills of the config's invoices: sources (re-run a reconciliation offline "
                + "with --invoice on the pages a run stored in <output>/invoices/)."))
    var noFetch = false

    /// Puts the flags on a request.
    func apply(to request: inout ReportRequest) {
        request.invoices = invoices
        request.basis = basis
        request.fetchInvoices = !noFetch
    }
}
