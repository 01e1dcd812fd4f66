import ChargebackCore
import Crypto
import Foundation

/// Everything an output folder holds, for "a failed run changed nothing" checks.
///
/// Every entry below the folder, hidden ones included (so a staging folder left behind shows),
/// maps to the SHA-256 of its bytes (`"folder"` for folders). The run lock is left out: it stays
/// between runs by design and holds the last run's PID.
struct FolderState: Equatable, CustomStringConvertible {
    let entries: [String: String]

    init(_ folder: URL) {
        var entries: [String: String] = [:]
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for name in names where name != OutputLock.fileName {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { continue }
            entries[name] =
                isFolder.boolValue
                ? "folder"
                : SHA256.hash(data: FileManager.default.contents(atPath: url.path) ?? Data())
                    .map { String(format: "%02x", $0) }.joined()
        }
        self.entries = entries
    }

    /// The entry names, sorted.
    var names: [String] { entries.keys.sorted() }

    var description: String { names.joined(separator: ", ") }
}
