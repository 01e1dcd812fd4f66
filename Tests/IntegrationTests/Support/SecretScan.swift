import Foundation
import TestSupport

/// Searches command output and every file below a folder for secret strings.
///
/// Workbooks (`.xlsx`) are zip archives of compressed XML, so they are read through `unzip -p`
/// (all their parts, inflated); everything else is searched byte for byte as UTF-8.
struct SecretScan {
    let needles: [(name: String, value: String)]
    /// One line per find: where, and which secret.
    private(set) var hits: [String] = []
    /// What was searched, e.g. `"report stderr"` or `"reports/chargeback-2026-10.xlsx"`.
    private(set) var scanned: [String] = []

    init(needles: [(name: String, value: String)]) {
        self.needles = needles
    }

    mutating func scan(_ text: String, source: String) {
        scanned.append(source)
        for needle in needles where text.contains(needle.value) { hits.append("\(source): \(needle.name)") }
    }

    /// Scans every file below `folder`, hidden ones included.
    mutating func scanFiles(under folder: URL) throws {
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for name in names.sorted() {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            scan(try Self.text(of: url), source: url.path)
        }
    }

    /// A file's text; a workbook's inflated parts.
    static func text(of file: URL) throws -> String {
        guard file.pathExtension == "xlsx" else {
            return String(decoding: try Data(contentsOf: file), as: UTF8.self)
        }
        guard let program = SampleWorld.which("unzip") else {
            throw NSError(
                domain: "SecretScan", code: 1,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "unzip is needed to search \(file.path) (scripts/install-deps.sh installs it)"
                ])
        }
        let unzip = try ChildProcess.runBlocking(program, ["-p", file.path], environment: [:])
        guard unzip.status == 0, unzip.stdout.contains("<worksheet") else {
            throw NSError(
                domain: "SecretScan", code: 1,
                userInfo: [
                    NSLocalizedDescriptionKey: "cannot unzip \(file.path) (install unzip): \(unzip.stderr)"
                ])
        }
        return unzip.stdout
    }
}
