import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

/// `chargeback init`: the commented starter `chargeback.yaml`, `pricing.yaml` and `teams.yaml`.
public enum StarterFiles {
    /// The files `init` writes, by name.
    public static let files: [(name: String, text: String)] = [
        ("chargeback.yaml", DefaultTemplates.initChargebackYaml),
        ("pricing.yaml", DefaultTemplates.initPricingYaml),
        ("teams.yaml", DefaultTemplates.initTeamsYaml),
    ]

    /// Writes the starter files into `directory` (created if missing).
    /// - Parameter overwrite: replace files that exist; otherwise nothing is written when any exists.
    /// - Returns: the paths written.
    /// - Throws: ``InputError`` when a file exists and `overwrite` is false; ``OutputError`` on write failures.
    public static func write(into directory: URL, overwrite: Bool) throws -> [URL] {
        let targets = files.map { (directory.appendingPathComponent($0.name), $0.text) }
        if !overwrite, let existing = targets.first(where: { FileManager.default.fileExists(atPath: $0.0.path) }) {
            throw InputError(
                file: existing.0.path, "already exists; nothing was written (use --force to replace the starter files)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (url, text) in targets { try Data(text.utf8).write(to: url, options: .atomic) }
        } catch {
            throw OutputError(
                message: "cannot write the starter files into \(directory.path): \(error.localizedDescription)")
        }
        return targets.map(\.0)
    }
}
