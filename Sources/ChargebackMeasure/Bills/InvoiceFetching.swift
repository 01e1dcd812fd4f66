import ChargebackConfig
import ChargebackModel
import ChargebackNetwork
import Foundation
import Logging

/// Fetches the bills of `invoices:` sources (and `invoices fetch`'s).
public enum InvoiceFetching {
    /// The folder of the pages inside a report's output folder.
    public static let folder = "invoices/"

    /// `anthropic-2026-10`: what every page file of a provider and period starts with.
    public static func stem(_ provider: CostProvider, period: Period) -> String {
        "\(provider.rawValue)-\(period.label)"
    }

    /// `anthropic-2026-10-page-3.json`.
    public static func pageName(stem: String, page: Int) -> String { "\(stem)-page-\(page).json" }

    /// Every page of `source`'s bill for the UTC days of `period` up to `now`, read as invoices.
    /// - Parameter folder: the page files' folder inside the output folder (`invoices/`, or `""`).
    /// - Throws: ``FetchError/secret(_:)`` (exit 64) for a key that cannot be read, else
    ///   ``InvoiceFetchError`` (exit 1), naming the provider's API and, for a bad page, the page.
    public static func fetch(
        _ source: InvoiceSource, period: Period, now: Date, folder: String, logger: Logger,
        backoffBase: Double = 0.5, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> FetchedInvoices {
        let days = CostAPIRequest.days(of: period, now: now)
        let request = CostAPIRequest(provider: source.provider, base: source.url, from: days.from, to: days.to)
        let prefix = folder + Self.stem(source.provider, period: period)
        let name = { (page: Int) in Self.pageName(stem: prefix, page: page) }
        let client = CostAPIClient(
            source: source, logger: logger, backoffBase: backoffBase, environment: environment)
        let started = Date()
        let bodies = try await client.pages(request, name: name)
        var pages: [FetchedPage] = []
        var invoices: [Invoice] = []
        for (index, body) in bodies.enumerated() {
            let page = FetchedPage(file: name(index + 1), data: body)
            let lines: [InvoiceLine]
            do {
                let root = try JSONSerialization.jsonObject(with: body)
                lines = try CostReportParsers.parse(root, format: source.provider.format, file: page.file)
            } catch let error as InputError {
                throw InvoiceFetchError.badPage(
                    api: source.provider.apiName, url: request.endpoint, page: index + 1, file: page.file,
                    detail: error.message)
            }
            pages.append(page)
            invoices.append(
                Invoice(
                    file: page.file, format: source.provider.format, lines: lines, sha256: page.sha256,
                    summary: Invoice.summarize(lines, period: DateInterval(start: period.start, end: period.end))))
        }
        logger.info(
            "fetched the bill",
            metadata: [
                "provider": .string(source.provider.rawValue), "url": .string(request.endpoint),
                "pages": .stringConvertible(pages.count), "lines": .stringConvertible(invoices.flatMap(\.lines).count),
            ])
        return FetchedInvoices(
            provider: source.provider, url: request.endpoint, from: days.from, to: days.to, fetchedAt: started,
            pages: pages, invoices: invoices)
    }

    /// Removes the pages of an earlier fetch that this one did not write (`…-page-5.json` when it
    /// wrote four), so the folder's pages of a provider and period are exactly the last fetch's.
    /// - Parameter stem: the pages' path inside `directory` without `-page-N.json`.
    public static func removeStalePages(in directory: URL, stem: String, keeping count: Int) {
        let prefix = directory.appendingPathComponent(stem)
        let folder = prefix.deletingLastPathComponent()
        let start = prefix.lastPathComponent + "-page-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        where name.hasPrefix(start) && name.hasSuffix(".json") {
            guard let number = Int(name.dropFirst(start.count).dropLast(5)), number > count else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
