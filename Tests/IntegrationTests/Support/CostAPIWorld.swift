import Foundation
import TestSupport
import XCTest

/// Both providers' cost APIs serving the generator's October invoices (the known truth), paginated,
/// and a cron-style config whose `invoices:` sources fetch from them: the Anthropic key from a file,
/// the OpenAI key from an environment variable.
struct CostAPIWorld: Sendable {
    static let binary = SampleWorld.buildFolder.appendingPathComponent("chargeback").path
    static let openaiVariable = "CB_TEST_OPENAI_ADMIN_KEY"

    let world: SampleWorld
    let folder: TemporaryFolder
    let anthropic: FakeCostAPI
    let openai: FakeCostAPI
    let anthropicKey = "sk-ant-admin01-test-\(UUID().uuidString)"
    let openaiKey = "sk-admin-test-\(UUID().uuidString)"
    let keyFile: URL
    let config: String
    /// The generator's two answers, each one page holding the whole month.
    let truthFiles: [URL]

    /// - Parameter pageSize: buckets per page: 8 makes October's 31 days four pages.
    init(_ label: String, pageSize: Int = 8) async throws {
        world = try SampleWorld.get()
        folder = TemporaryFolder("cb-\(label)")
        let invoices = world.historyFolder.appendingPathComponent("invoices")
        truthFiles = ["anthropic-cost-report-2026-10.json", "openai-costs-2026-10.json"].map {
            invoices.appendingPathComponent($0)
        }
        anthropic = try await FakeCostAPI(
            .anthropic, answer: try Data(contentsOf: truthFiles[0]), key: anthropicKey, pageSize: pageSize)
        openai = try await FakeCostAPI(
            .openai, answer: try Data(contentsOf: truthFiles[1]), key: openaiKey, pageSize: pageSize)
        keyFile = folder.file("anthropic-admin-key")
        try Data("\(anthropicKey)\n".utf8).write(to: keyFile)
        config = try Self.writeConfig(
            in: folder,
            invoices: """
                invoices:
                  - { provider: anthropic, key_file: \(keyFile.path), url: "\(anthropic.url)", retries: 2, timeout: 30s }
                  - { provider: openai, key_env: \(Self.openaiVariable), url: "\(openai.url)", retries: 2, timeout: 30s }
                """)
    }

    func stop() async {
        await anthropic.stop()
        await openai.stop()
        folder.remove()
    }

    /// The environment of a run: the OpenAI key's variable.
    var environment: [String: String] { [Self.openaiVariable: openaiKey] }

    /// `report` for October from the sample Prometheus into `output`, as cron runs it.
    func reportArguments(_ output: URL, _ extra: [String] = []) -> [String] {
        [
            "report", "--config", config, "--period", "2026-10", "--prometheus-url", world.url, "--output",
            output.path, "--format", "markdown,csv", "--no-compare", "--quiet",
        ] + extra
    }

    /// The sample config (its pricing with the 10 % Anthropic discount the invoices carry) and `invoices`.
    static func writeConfig(in folder: TemporaryFolder, invoices: String) throws -> String {
        let samples = PackagePaths.root.appendingPathComponent("Samples")
        let pricing =
            try String(contentsOf: samples.appendingPathComponent("pricing.yaml"), encoding: .utf8)
            + "adjustments:\n  discounts: [ { match: { system: anthropic }, percent: 10, from: 2025-01-01 } ]\n"
        let pricingPath = try folder.write("pricing.yaml", pricing)
        var text = try String(contentsOf: samples.appendingPathComponent("chargeback.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\npricing: pricing.yaml", with: "\npricing: \(pricingPath)")
            .replacingOccurrences(
                of: "\nteams: teams.yaml", with: "\nteams: \(samples.appendingPathComponent("teams.yaml").path)")
        return try folder.write("chargeback.yaml", text + "\n" + invoices + "\n")
    }

    /// The reconciliation CSV's rows.
    static func reconciliation(_ output: URL) throws -> [[String: String]] {
        let text = try String(
            contentsOf: output.appendingPathComponent("chargeback-2026-10-reconciliation.csv"), encoding: .utf8)
        return try CSVParser.records(text).records
    }

    /// Each provider's invoiced total in the truth files, in dollars (Anthropic's amounts are cents).
    func truthTotals() throws -> [String: Decimal] {
        var totals: [String: Decimal] = [:]
        for (provider, file) in zip(["anthropic", "openai"], truthFiles) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let pattern =
                provider == "anthropic" ? #/"amount": "([0-9.]+)"/# : #/"value": ([0-9.]+)/#
            for match in text.matches(of: pattern) {
                let amount = Decimal(string: String(match.1))!
                totals[provider, default: 0] += provider == "anthropic" ? amount / 100 : amount
            }
        }
        return totals
    }
}
