import Foundation

/// One row of the reconciliation: measured against invoiced for a provider × model at the finest
/// grain both sides share (the invoice's own intervals, a day where it has days).
public struct ReconciliationRow: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Within the tolerance.
        case ok
        /// Invoiced more than measured, beyond the tolerance.
        case over
        /// Invoiced less than measured, beyond the tolerance.
        case under
        /// Billed, never measured.
        case invoiceOnly = "invoice_only"
        /// Measured, not on any invoice.
        case measuredOnly = "measured_only"
    }

    public let provider: String
    /// The price book's pattern both sides matched (`claude-sonnet-4-5*`), else the model as named.
    public let model: String
    public let start: Date
    public let end: Date
    /// Cost at the price book's list prices less its discounts, rounded to cents.
    public let measured: Decimal
    /// The invoice lines' sum, rounded to cents.
    public let invoiced: Decimal
    public let status: Status
    /// What the invoice lines of this row say they are, distinct, in file order.
    public let descriptions: [String]
    /// The invoice lines behind this row (`invoice.json data[3].results[2]`).
    public let records: [String]

    /// What the invoice says that can explain a difference (a 1-hour cache write, a long context, a
    /// tier other than standard, a charge of no model), else all it says; at most four.
    public var explanation: [String] {
        let words = [
            "1h cache", "200k-1m", "200k–1m", "tier", "batch", "priority", "web", "search", "code_execution",
            "credit", "fee",
        ]
        let notable = descriptions.filter { text in words.contains { text.lowercased().contains($0) } }
        return Array((notable.isEmpty ? descriptions : notable).prefix(4))
    }

    /// `invoiced − measured`.
    public var difference: Decimal { invoiced - measured }

    /// The difference as a percentage of measured, `nil` when nothing was measured.
    public var differencePercent: Decimal? {
        measured == 0 ? nil : Money.round(difference / measured * 100, scale: 2)
    }
}

/// Which invoice models matched which measured models, per provider and price-book pattern.
public struct ModelMatch: Sendable, Equatable {
    /// How an invoice's model was matched.
    public enum Route: String, Sendable {
        /// A `models:` glob of the price book matches it.
        case priceBook = "price book glob"
        /// No glob matches; measured series of a request model carry it as their response model.
        case responseModel = "response model label"
        /// Neither: it meets a measured model only if that has the very same name.
        case sameName = "same name"
        /// The invoice line names no model.
        case noModel = "no model"
        /// A cloud line of its provider names no model: the provider is reconciled as a whole.
        case providerLevel = "provider level"
    }

    public let provider: String
    public let model: String
    public let invoiceModels: [String]
    public let measuredModels: [String]
    /// How each of ``invoiceModels`` was matched.
    public var routes: [String: Route] = [:]

    public init(
        provider: String, model: String, invoiceModels: [String], measuredModels: [String],
        routes: [String: Route] = [:]
    ) {
        self.provider = provider
        self.model = model
        self.invoiceModels = invoiceModels
        self.measuredModels = measuredModels
        self.routes = routes
    }

    /// `claude-sonnet-4-5-20250929 (response model label)`, one per invoice model.
    public var invoiceModelsWithRoutes: [String] {
        invoiceModels.map { model in routes[model].map { "\(model) (\($0.rawValue))" } ?? model }
    }
}

/// The invoices of a period compared with what was measured.
public struct InvoiceReconciliation: Sendable, Equatable {
    public let invoices: [Invoice]
    public let rows: [ReconciliationRow]
    public let matches: [ModelMatch]
    /// Percent within which a row is `ok`.
    public let tolerancePercent: Decimal

    public static let empty = InvoiceReconciliation(invoices: [], rows: [], matches: [], tolerancePercent: 1)

    public var measuredTotal: Decimal { rows.reduce(0) { $0 + $1.measured } }
    public var invoicedTotal: Decimal { rows.reduce(0) { $0 + $1.invoiced } }

    /// Rows beyond the tolerance, largest difference first.
    public var differences: [ReconciliationRow] {
        rows.filter { $0.status != .ok }.sorted {
            ($0.difference.magnitude, $1.start) > ($1.difference.magnitude, $0.start)
        }
    }
}
