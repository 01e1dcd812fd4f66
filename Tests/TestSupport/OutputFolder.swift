import ChargebackCore
import Foundation

/// Runs the file-writing half of a report into a fresh temporary folder.
public struct OutputFolder {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cb-out-\(UUID().uuidString)")
    }

    /// Renders `formats` of `report` (and team packs) and commits them.
    @discardableResult
    public func write(
        _ report: Report, formats: Set<ReportFormat> = Set(ReportFormat.allCases), splitByTeam: Bool = true,
        hourly: Bool = false, template: (path: String, text: String)? = nil,
        diagnostics: DiagnosticCollector = DiagnosticCollector()
    ) throws -> ReportOutcome {
        let request = ReportRequest(
            period: report.period, formats: formats, hourly: hourly, outputDirectory: url, template: template,
            splitByTeam: splitByTeam,
            commandLine: [
                "chargeback", "report", "--config", "chargeback.yaml",
                "--from", "2026-10-24", "--to", "2026-10-27",
            ],
            now: report.generatedAt)
        return try ReportPipeline.write(report, request, diagnostics: diagnostics)
    }

    /// Every file below the folder, relative, sorted.
    public var files: [String] {
        let base = url.resolvingSymlinksInPath().path + "/"
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        var found: [String] = []
        while let item = enumerator?.nextObject() as? URL {
            guard (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = item.resolvingSymlinksInPath().path
            found.append(path.hasPrefix(base) ? String(path.dropFirst(base.count)) : "OUTSIDE:" + path)
        }
        return found.sorted()
    }

    public func text(_ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    public func data(_ name: String) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(name))
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
