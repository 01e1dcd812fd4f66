import Foundation

/// Where the package's own files are, for tests that read the samples or run the scripts.
public enum PackagePaths {
    /// The package root (this file is `Tests/TestSupport/PackagePaths.swift`).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Samples/<name>`, or the folder itself.
    public static func samples(_ name: String = "") -> URL {
        name.isEmpty ? root.appendingPathComponent("Samples") : root.appendingPathComponent("Samples/\(name)")
    }

    /// `scripts/<name>`.
    public static func script(_ name: String) -> URL {
        root.appendingPathComponent("scripts/\(name)")
    }
}
