import ChargebackCore
import Foundation
import TestSupport
import XCTest

/// The FOCUS file of the sample month, with a discount, a markup, a fee and a credit, through the
/// FinOps Foundation's own validator (`focus-validator` 2.2, installed by scripts/install-deps.sh
/// into .build-venv/).
final class FOCUSValidatorTests: XCTestCase {
    static let venv = PackagePaths.root.appendingPathComponent(".build-venv/focus-validator")

    func testTheValidatorAcceptsTheSampleMonth() async throws {
        let world = try SampleWorld.get()
        let report = try await BackendReport.build(url: world.url) {
            InvoiceReconciliationTests.configure(&$0, invoices: [])
        }
        XCTAssertEqual(Set(report.adjustments.lines.map(\.kind)), [.discount, .markup, .fixed, .credit])
        let run = try Self.validate(FOCUSRenderer.render(report))
        print("focus-validator: \(run.summary)")
        XCTAssertEqual(run.failed(exceptFor: try Self.contradictoryRules()), [], run.summary)
        XCTAssertEqual(run.status("InvoiceId-C-003-C"), "PASS", "InvoiceId's nullability, as the spec states it")
        XCTAssertGreaterThanOrEqual(run.count("Pass"), 136, run.summary)
    }

    /// The same month billed in EUR from USD prices: `BillingCurrency` EUR, the pricing-currency
    /// columns in USD, checked with the rules a provider that prices and bills in different
    /// currencies must meet (the validator's PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED).
    func testTheValidatorAcceptsTheMonthInEuros() async throws {
        let world = try SampleWorld.get()
        let report = try await BackendReport.build(url: world.url, configure: SameCentsTests.configure)
        XCTAssertEqual(Set(report.adjustments.lines.map(\.kind)), [.discount, .markup, .fixed, .credit])
        let run = try Self.validate(
            FOCUSRenderer.render(report),
            criteria: ["PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED", "PUBLIC_PRICE_LIST_SUPPORTED"])
        print("focus-validator (EUR): \(run.summary)")
        XCTAssertEqual(run.failed(exceptFor: try Self.contradictoryRules()), [], run.summary)
        for rule in [
            "PricingCurrency-C-000-C", "PricingCurrencyListUnitPrice-C-000-C", "PricingCurrencyEffectiveCost-C-000-C",
            "PricingCurrencyContractedUnitPrice-C-000-C", "BillingCurrency-C-000-M",
        ] {
            XCTAssertEqual(run.status(rule), "PASS", rule)
        }
    }

    /// The rule pairs of the validator's own model that no non-empty dataset can both pass: a rule
    /// that wants a column null on every row and one that wants it non-null on every row, both
    /// without a condition. In model 1.2.0.1 that is InvoiceId-C-004-C against InvoiceId-C-005-C (the
    /// spec's "when the charge is (not) associated with an invoice" became no condition at all);
    /// their parent InvoiceId-C-003-C, the spec's requirement, is their OR and is checked to pass.
    /// Our rows belong to the period's internal invoice, so C-005 holds and C-004 cannot. Read
    /// from the model, so a validator that gives the rules their conditions gets no allowance.
    static func contradictoryRules() throws -> Set<String> {
        let model = try XCTUnwrap(
            FileManager.default.enumerator(atPath: venv.path)?.compactMap { $0 as? String }
                .first { $0.hasSuffix("focus_validator/rules/model-1.2.0.1.json") })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: venv.appendingPathComponent(model)))
        let rules = try XCTUnwrap((json as? [String: Any])?["ModelRules"] as? [String: [String: Any]])
        func unconditional(_ id: String, _ function: String) -> String? {
            guard let criteria = rules[id]?["ValidationCriteria"] as? [String: Any],
                (criteria["Condition"] as? [String: Any])?.isEmpty ?? true,
                let requirement = criteria["Requirement"] as? [String: Any],
                requirement["CheckFunction"] as? String == function, requirement["Value"] is NSNull
            else { return nil }
            return requirement["ColumnName"] as? String
        }
        var allowed = Set<String>()
        for (id, _) in rules where id.hasSuffix("-C") {
            guard let column = unconditional(id, "CheckValue") else { continue }
            let opposite = rules.keys.contains { unconditional($0, "CheckNotValue") == column }
            if opposite { allowed.insert(id) }
        }
        XCTAssertEqual(allowed, ["InvoiceId-C-004-C"], "the model's contradictory pairs changed")
        return allowed
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    /// The validator's verdict on one FOCUS file: each rule's status and the summary line.
    struct Verdict {
        let summary: String
        let statuses: [String: String]

        func status(_ rule: String) -> String? { statuses[rule] }
        func failed(exceptFor allowed: Set<String>) -> [String] {
            statuses.filter { $0.value == "FAIL" && !allowed.contains($0.key) }.map(\.key).sorted()
        }
        /// A count of the summary line, `Total: 578 | Pass: 137 | Fail: 0 | Skipped: 441`.
        func count(_ name: String) -> Int {
            summary.split(separator: "|").first { $0.contains("\(name):") }
                .flatMap { Int($0.replacingOccurrences(of: "\(name):", with: "").trimmingCharacters(in: .whitespaces)) }
                ?? -1
        }
    }

    /// Runs `focus-validator --validate-version 1.2` on `text` (from its package folder: it reads
    /// `focus_validator/rules/currency_codes.csv` relative to the working directory).
    static func validate(_ text: String, criteria: [String] = []) throws -> Verdict {
        let validator = venv.appendingPathComponent("bin/focus-validator").path
        guard FileManager.default.isExecutableFile(atPath: validator) else {
            throw Missing(description: "focus-validator is not installed at \(validator): run scripts/install-deps.sh")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cb-focus-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(text.utf8).write(to: file)
        let sitePackages = try XCTUnwrap(
            FileManager.default.enumerator(atPath: venv.appendingPathComponent("lib").path)?
                .compactMap { $0 as? String }.first { $0.hasSuffix("site-packages/focus_validator") })
        let folder = venv.appendingPathComponent("lib").appendingPathComponent(sitePackages)
            .deletingLastPathComponent()
        let run = try ChildProcess.runBlocking(
            "/usr/bin/env",
            [
                "sh", "-c",
                "cd \"$1\" && exec \"$2\" --data-file \"$3\" --validate-version 1.2 --block-download"
                    + (criteria.isEmpty ? "" : " --applicability-criteria \"$4\""),
                "sh", folder.path, validator, file.path, criteria.joined(separator: ","),
            ],
            environment: ProcessInfo.processInfo.environment)
        let lines = run.stdout.split(separator: "\n")
        let summary = try XCTUnwrap(lines.first { $0.hasPrefix("Total: ") }, run.stdout + run.stderr)
        var statuses: [String: String] = [:]
        for line in lines {
            // `❌ InvoiceId-C-004-C: FAIL  (violations=40, …)`
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count >= 3, ["✅", "❌", "⏭️"].contains(String(words[0])), words[1].hasSuffix(":") else {
                continue
            }
            statuses[String(words[1].dropLast())] = String(words[2])
        }
        return Verdict(summary: String(summary), statuses: statuses)
    }
}
