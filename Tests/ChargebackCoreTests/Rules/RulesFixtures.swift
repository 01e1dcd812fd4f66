import Foundation
import TestSupport
import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

/// Configs for the rule tests: the committed sample, or one written to a temporary folder.
enum RulesFixtures {

    static func sampleConfig() throws -> ChargebackConfig {
        try ConfigLoader.load(path: PackagePaths.root.appendingPathComponent("Samples/chargeback.yaml").path)
    }

    static let teams = """
        teams:
          - { name: Search }
        rules:
          - match: { gateway: "*" }
            team: Search
        """

    /// Loads a config made of `metrics` and `thresholds` YAML blocks and a `models:` list.
    static func config(metrics: String, models: String, thresholds: String = "{ daily_usd: 50 }") throws
        -> ChargebackConfig
    {
        let folder = TemporaryFolder("cb-rules").url
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = """
            prometheus: { url: http://127.0.0.1:9090 }
            metrics:
            \(metrics.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            pricing: pricing.yaml
            teams: teams.yaml
            thresholds: \(thresholds)
            """
        try config.write(to: folder.appendingPathComponent("chargeback.yaml"), atomically: true, encoding: .utf8)
        try "models:\n\(models)\n".write(
            to: folder.appendingPathComponent("pricing.yaml"), atomically: true, encoding: .utf8)
        try teams.write(to: folder.appendingPathComponent("teams.yaml"), atomically: true, encoding: .utf8)
        return try ConfigLoader.load(path: folder.appendingPathComponent("chargeback.yaml").path)
    }

    static func instant(_ text: String) -> Date {
        DateText.parseDateOrInstant(text, in: TimeZone(identifier: "UTC")!)!
    }
}

/// The metric names a PromQL expression reads: identifiers outside strings, label matchers,
/// grouping lists and ranges that are not functions, keywords or numbers.
enum PromQLNames {
    static let keywords: Set<String> = [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and",
        "or", "unless", "offset", "inf", "nan",
    ]

    static func metrics(in expr: String) -> Set<String> {
        var text = expr
        let strip = [
            #"#[^\n]*"#, #""(?:[^"\\]|\\.)*""#, #"\{[^}]*\}"#, #"\[[^\]]*\]"#,
            #"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"#,
        ]
        for pattern in strip {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        var names = Set<String>()
        let regex = try! NSRegularExpression(pattern: #"[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?"#)
        for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text) else { continue }
            let token = String(text[range])
            if token.hasSuffix("(") { continue }  // a function call
            let name = token.trimmingCharacters(in: .whitespaces)
            if keywords.contains(name.lowercased()) { continue }
            let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
            if before.isNumber || before == "." { continue }  // inside a number like 1e6
            names.insert(name)
        }
        return names
    }
}
