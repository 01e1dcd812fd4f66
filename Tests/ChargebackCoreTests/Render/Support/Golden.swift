import Foundation
import TestSupport
import XCTest

/// Golden files: the expected output of a renderer, kept in `Fixtures/golden/`. A mismatch fails
/// with a unified diff; `CHARGEBACK_UPDATE_GOLDEN=1 swift test` rewrites them (review the diff!).
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/golden")

    static func assertMatches(_ actual: String, _ name: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CHARGEBACK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail(
                "no golden file \(name); create it with CHARGEBACK_UPDATE_GOLDEN=1 swift test", file: file, line: line)
            return
        }
        if expected != actual {
            XCTFail(
                "\(name) differs from its golden file (CHARGEBACK_UPDATE_GOLDEN=1 to accept):\n"
                    + diff(expected, actual, name), file: file, line: line)
        }
    }

    /// `diff -u` of two texts.
    static func diff(_ expected: String, _ actual: String, _ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let a = folder.appendingPathComponent("expected-\(name)")
            let b = folder.appendingPathComponent("actual-\(name)")
            try Data(expected.utf8).write(to: a)
            try Data(actual.utf8).write(to: b)
            return try ChildProcess.runBlocking("/usr/bin/diff", ["-u", a.path, b.path], environment: [:]).stdout
        } catch {
            return "(no diff: \(error))\nexpected:\n\(expected)\nactual:\n\(actual)"
        }
    }
}
