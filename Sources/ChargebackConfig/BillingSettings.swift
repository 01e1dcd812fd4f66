import ChargebackModel
import Foundation

/// The invoice side of `chargeback.yaml`: `invoices:`, `reconcile:` and `allocation:`.
public struct BillingSettings: Sendable, Equatable {
    /// Invoice files, absolute (relative paths are resolved against the config's folder).
    public var invoices: [String] = []
    /// The `include:` and `exclude:` of an `invoices:` entry written as a map, by its absolute path.
    public var selections: [String: ServiceSelection] = [:]
    /// Entries that fetch the bill from a provider's cost API (`{ provider, key_file | key_env }`).
    public var sources: [InvoiceSource] = []
    /// `reconcile.tolerance_pct`: a reconciliation row within this percent is `ok`.
    public var tolerancePercent: Decimal = 1
    /// `allocation.basis`: what teams pay for, measured usage or the invoices.
    public var basis: AllocationBasis = .measured

    public init() {}
}

/// Reads `invoices`, `reconcile` and `allocation` of `chargeback.yaml`.
package enum BillingSettingsParser {
    package static func parse(_ root: YAMLValue, base: URL) throws -> BillingSettings {
        var settings = BillingSettings()
        if let node = try root.optional("invoices") {
            let items = (try? node.items()) ?? [node]
            for item in items {
                // A path, or { path: FILE, include: [ServiceName globs], exclude: [ServiceName globs] }.
                let isMap = (try? item.entries()) != nil
                // Or { provider: anthropic|openai, key_file | key_env, url, tls, timeout, retries }.
                if isMap, try item.optional("provider") != nil {
                    let source = try InvoiceSourceParser.parse(item, base: base)
                    guard !settings.sources.contains(where: { $0.provider == source.provider }) else {
                        throw item.error("a second \(source.provider.rawValue) source would count its bill twice")
                    }
                    settings.sources.append(source)
                    continue
                }
                if isMap { try item.allowKeys(["path", "include", "exclude", "provider"]) }
                let pathNode = isMap ? try item.required("path") : item
                let path = try pathNode.string()
                guard !path.isEmpty else { throw pathNode.error("an invoice path must not be empty") }
                let resolved = ConfigLoader.resolve(path, against: base)
                settings.invoices.append(resolved)
                guard isMap else { continue }
                func globs(_ key: String) throws -> [Glob] {
                    guard let node = try item.optional(key) else { return [] }
                    return try ((try? node.items()) ?? [node]).map { Glob(try $0.string()) }
                }
                settings.selections[resolved] = ServiceSelection(
                    include: try globs("include"), exclude: try globs("exclude"))
            }
        }
        if let node = try root.optional("reconcile") {
            try node.allowKeys(["tolerance_pct"])
            if let tolerance = try node.optional("tolerance_pct") {
                let value = try tolerance.decimal()
                guard value >= 0, value <= 100 else { throw tolerance.error("must be between 0 and 100") }
                settings.tolerancePercent = value
            }
        }
        if let node = try root.optional("allocation") {
            try node.allowKeys(["basis"])
            if let basis = try node.optional("basis") {
                settings.basis = AllocationBasis(rawValue: try basis.oneOf(AllocationBasis.allCases.map(\.rawValue)))!
            }
        }
        return settings
    }
}
