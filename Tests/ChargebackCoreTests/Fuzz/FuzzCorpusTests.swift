import ChargebackCore
import Foundation
import XCTest

/// Replays the fuzzing corpus (`Tests/Fuzz/Corpus/<target>/`) through the fuzz entry points, so
/// every seed and every input that once crashed a parser is a regression test in CI.
///
/// File names say what to expect: `valid-*` must parse, `invalid-*` must be rejected with an error
/// that says where (file and line for YAML, the flag for periods, the field for JSON), and every
/// other file (found by the fuzzer, `crash-*` reproducers) must be answered without breaking an
/// invariant.
final class FuzzCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/Corpus").standardizedFileURL

    /// Words some rejections must contain: the place and the reason, for one bug or rule each.
    static let expected: [String: [String]] = [
        "config/invalid-unknown-key.yaml": ["chargeback.yaml:1:", "unknown key 'timout'"],
        "config/invalid-cache-rule.yaml": ["chargeback.yaml:4:46:", "expected true or false, found 'sometimes'"],
        "config/crash-control-character.yaml": ["chargeback.yaml:2:1:", "control characters are not allowed (U+0001)"],
        "config/crash-chunk-overflow.yaml": ["chargeback.yaml:1:", "prometheus.chunk: must be between 1m and 31d"],
        "config/crash-timeout-overflow.yaml": ["chargeback.yaml:1:39:", "prometheus.timeout: must be at most 1d"],
        "pricing/invalid-overlap.yaml": ["pricing.yaml:5:", "price dates must increase"],
        "pricing/crash-price-underflow.yaml": ["pricing.yaml:3:", "'1e-127' is out of range"],
        "pricing/invalid-alias-expansion.yaml": ["more than 100000 values"],
        "teams/invalid-split.yaml": ["teams.yaml:4:", "split percentages sum to 90, not 100"],
        "teams/crash-alias-key-hang.yaml": ["teams.yaml:5:", "aliases expand this file to more than 100000 values"],
        "teams/invalid-list-key.yaml": ["teams.yaml:3:", "keys must be text"],
        "period/crash-range-millennia.txt": ["longer than 366 days"],
        "period/invalid-week-54.txt": ["--period '2026-W54': ISO week 54 of 2026 does not exist"],
        "period/invalid-month-13.txt": ["--period '2026-13': month 13 does not exist"],
        "period/crash-icu-long-fraction.txt": ["--from '1-12-1T3:0:0.5", "is not a date"],
        "pricing/crash-icu-long-fraction.yaml": [
            "pricing.yaml:3:", "expected a date like 2025-09-29 or an RFC 3339 time",
        ],
        "query-response/invalid-timestamp.json": ["at data.result[0].values[0]", "bad timestamp"],
        "invoice-focus/invalid-billed-cost.csv": ["invoice:3:", "column BilledCost"],
        "invoice-anthropic/invalid-amount.json": ["invoice: data[0].results[0].amount"],
        "invoice-openai/invalid-value.json": ["invoice: data[0].results[0].amount.value"],
    ]

    func testConfigCorpus() throws { try replay(.config) }
    func testPricingCorpus() throws { try replay(.pricing) }
    func testTeamsCorpus() throws { try replay(.teams) }
    func testPeriodCorpus() throws { try replay(.period) }
    func testQueryResponseCorpus() throws { try replay(.queryResponse) }
    func testInvoiceCorpora() throws {
        for target in [FuzzTarget.invoiceFOCUS, .invoiceAnthropic, .invoiceOpenAI] { try replay(target) }
    }

    private func replay(_ target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var counts = (valid: 0, invalid: 0, other: 0)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let outcome = target.run(bytes)
            XCTAssertEqual(outcome.violations, [], "\(target.rawValue)/\(name)")
            for words in Self.expected["\(target.rawValue)/\(name)"] ?? [] {
                let text = outcome.error.map { ($0 as? LocalizedError)?.errorDescription ?? "\($0)" } ?? "parsed"
                XCTAssertTrue(text.contains(words), "\(target.rawValue)/\(name): '\(text)' lacks '\(words)'")
            }
            if name.hasPrefix("valid-") {
                counts.valid += 1
                XCTAssertNil(
                    outcome.error, "\(target.rawValue)/\(name) should parse: \(String(describing: outcome.error))")
            } else if name.hasPrefix("invalid-") {
                counts.invalid += 1
                guard let error = outcome.error else {
                    XCTFail("\(target.rawValue)/\(name) should be rejected")
                    continue
                }
                assertSaysWhere(error, target: target, name: name)
            } else {
                counts.other += 1
            }
        }
        XCTAssertGreaterThan(counts.valid, 0, "no valid-* seeds for \(target.rawValue)")
        XCTAssertGreaterThan(counts.invalid, 0, "no invalid-* seeds for \(target.rawValue)")
    }

    /// The rejection names its place: file and line, the flag, or the JSON field.
    private func assertSaysWhere(_ error: Error, target: FuzzTarget, name: String) {
        let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        switch target {
        case .config, .pricing, .teams:
            let input = error as? InputError
            XCTAssertNotNil(input?.line, "\(name): no line in '\(text)'")
            XCTAssertTrue(
                text.hasPrefix("\(target == .config ? "chargeback" : target.rawValue).yaml:"),
                "\(name): '\(text)' does not start with the file")
        case .period:
            XCTAssertTrue(
                ["--period", "--from", "--to", "--timezone"].contains { text.contains($0) },
                "\(name): '\(text)' names no flag")
        case .invoiceFOCUS:
            XCTAssertTrue(text.hasPrefix("invoice:"), "\(name): '\(text)' does not name the file")
            XCTAssertNotNil((error as? InputError)?.line, "\(name): no line in '\(text)'")
        case .invoiceAnthropic, .invoiceOpenAI:
            XCTAssertTrue(text.hasPrefix("invoice: "), "\(name): '\(text)' does not name the file")
            XCTAssertTrue(text.contains("data") || text.contains("JSON"), "\(name): '\(text)' names no record or field")
        case .queryResponse:
            XCTAssertTrue(error is FetchError, "\(name): \(text)")
            XCTAssertTrue(text.contains("http://fuzz"), "\(name): '\(text)' does not name the server")
        }
    }
}
