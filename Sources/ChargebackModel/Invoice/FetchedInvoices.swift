import Crypto
import Foundation

/// One raw page of a cost API's answer, as stored beside the reports.
public struct FetchedPage: Sendable, Equatable {
    /// The file name relative to the output folder: `invoices/anthropic-2026-10-page-1.json`.
    public let file: String
    public let data: Data

    package init(file: String, data: Data) {
        self.file = file
        self.data = data
    }

    /// SHA-256 of the bytes, lower-case hex.
    public var sha256: String { SHA256.hash(data: data).hex }
}

/// One provider's bill as fetched for a period: its raw pages and the invoices read from them (one
/// per page, named by its file, so the manifest hashes each and `report --invoice` reads the
/// stored pages back to the same lines).
public struct FetchedInvoices: Sendable {
    public let provider: CostProvider
    /// The endpoint read, without query or key.
    public let url: String
    /// The UTC days asked for, `[from, to)`.
    public let from: Date
    public let to: Date
    public let fetchedAt: Date
    public let pages: [FetchedPage]
    public let invoices: [Invoice]

    package init(
        provider: CostProvider, url: String, from: Date, to: Date, fetchedAt: Date, pages: [FetchedPage],
        invoices: [Invoice]
    ) {
        self.provider = provider
        self.url = url
        self.from = from
        self.to = to
        self.fetchedAt = fetchedAt
        self.pages = pages
        self.invoices = invoices
    }

    /// The total of every page, in each currency billed.
    public var totals: [String: Decimal] {
        invoices.flatMap(\.lines).reduce(into: [:]) { $0[$1.currency, default: 0] += $1.amount }
    }
}
