import Foundation
import TestSupport
import XCTest

/// Headless LibreOffice Calc for tests: converts a workbook to one CSV per sheet after
/// recalculating every formula (the values we cached in the file are not trusted).
enum LibreOffice {
    /// The `soffice` binary, or `nil` when LibreOffice is not installed.
    static var binary: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin", "/opt/libreoffice/program"] {
            for name in ["soffice", "libreoffice"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    static func requireBinary() throws -> String {
        guard let binary else {
            throw XCTSkip(
                "LibreOffice (soffice) is not installed; run scripts/install-deps.sh (libreoffice-calc-nogui)")
        }
        return binary
    }

    /// Every sheet of `workbook` as CSV rows, keyed by sheet name, recalculated on load.
    static func sheets(of workbook: URL, names: [String]) throws -> [String: [[String]]] {
        let binary = try requireBinary()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("profile/user")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        // Recalculate OOXML and ODF files on load, always (0), instead of trusting cached values.
        try Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
            <value>0</value></prop></item>
            <item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
            <value>0</value></prop></item>
            </oor:items>
            """.utf8
        ).write(to: profile.appendingPathComponent("registrymodifications.xcu"))
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        // Field separator, quote, UTF-8, from line 1, …, raw values (not as shown), all sheets (-1).
        let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        try run(
            binary,
            [
                "-env:UserInstallation=\(folder.appendingPathComponent("profile").absoluteString)", "--headless",
                "--norestore", "--convert-to", filter, "--outdir", out.path, workbook.path,
            ])
        let stem = workbook.deletingPathExtension().lastPathComponent
        var sheets: [String: [[String]]] = [:]
        for name in names {
            let file = out.appendingPathComponent("\(stem)-\(name).csv")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                let made = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
                throw CSVParser.Failure(description: "LibreOffice wrote no CSV for sheet \(name); it wrote \(made)")
            }
            sheets[name] = try CSVParser.rows(text)
        }
        return sheets
    }

    /// Converts a workbook to PDF (to look at it as a person would).
    static func pdf(of workbook: URL, into folder: URL) throws -> URL {
        let binary = try requireBinary()
        try run(binary, ["--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder.path, workbook.path])
        return folder.appendingPathComponent(workbook.deletingPathExtension().lastPathComponent + ".pdf")
    }

    private static func run(_ binary: String, _ arguments: [String]) throws {
        let run = try ChildProcess.runBlocking(binary, arguments, environment: ProcessInfo.processInfo.environment)
        guard run.status == 0 else {
            throw CSVParser.Failure(description: "soffice failed (\(run.status)): \(run.stdout)\(run.stderr)")
        }
    }
}
