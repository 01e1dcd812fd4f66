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

/// The generated files under `Samples/kubernetes/` are what the commands generate for the sample
/// config. `UPDATE_SAMPLES=1 swift test --filter KubernetesSamplesTests` writes them anew.
final class KubernetesSamplesTests: XCTestCase {
    static let folder = PackagePaths.root.appendingPathComponent("Samples/kubernetes")

    /// Path under `Samples/kubernetes/` → what the command prints for the sample config.
    static func generated() throws -> [(String, String)] {
        let config = try RulesFixtures.sampleConfig()
        let rules = try RuleGenerator.generate(config: config, at: DateText.parseInstant("2026-11-01T00:00:00Z")!)
        return [
            ("prometheusrule.yaml", try RuleFileRenderer.render(rules, plain: false)),
            ("prometheus/agentgateway-cost.rules.yaml", try RuleFileRenderer.render(rules, plain: true)),
            ("grafana-dashboard.json", try DashboardBuilder.json(config: config)),
        ]
    }

    func testCommittedFilesMatchTheGenerators() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_SAMPLES"] == "1"
        for (path, text) in try Self.generated() {
            let url = Self.folder.appendingPathComponent(path)
            if update {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            let committed = try? String(contentsOf: url, encoding: .utf8)
            guard committed != text else { continue }
            let diff = Self.firstDifference(committed ?? "", text)
            XCTFail(
                """
                Samples/kubernetes/\(path) is not what the generator writes now (\(diff)). \
                Run: UPDATE_SAMPLES=1 swift test --filter KubernetesSamplesTests (or scripts/kubernetes-samples.sh)
                """)
        }
    }

    /// The first line where two texts differ, for the failure message.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.components(separatedBy: "\n")
        let right = b.components(separatedBy: "\n")
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? left[index] : "<end>"
            let r = index < right.count ? right[index] : "<end>"
            if l != r { return "line \(index + 1): committed '\(l)', generated '\(r)'" }
        }
        return "same lines"
    }
}
