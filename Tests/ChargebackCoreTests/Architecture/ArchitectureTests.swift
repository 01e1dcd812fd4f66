import Foundation
import TestSupport
import XCTest

/// docs/architecture.md's table of targets is the design; `Package.swift` and the sources must
/// follow it: each library target depends on exactly the targets and products the table names,
/// and no source file imports a module its target may not.
final class ArchitectureTests: XCTestCase {
    /// The table's rows: target → the modules it may import (Foundation aside).
    func documented() throws -> [String: Set<String>] {
        let text = try String(
            contentsOf: PackagePaths.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var rows: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `Chargeback") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3, !cells[0].contains(","), !cells[2].hasPrefix("every") else { continue }
            let allowed = cells[2].replacingOccurrences(of: "`", with: "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "Foundation" }
            rows[cells[0].replacingOccurrences(of: "`", with: "")] = Set(allowed)
        }
        return rows
    }

    /// `Package.swift`'s dependencies of `target`: target names and product names.
    func declared(_ target: String, in manifest: String) throws -> Set<String> {
        let start = try XCTUnwrap(manifest.range(of: "name: \"\(target)\""), target)
        let rest = manifest[start.upperBound...]
        let end =
            rest.range(of: ".target(")?.lowerBound ?? rest.range(of: ".systemLibrary(")?.lowerBound ?? rest.endIndex
        let body = String(rest[..<end])
        var names = Set<String>()
        let product = try NSRegularExpression(pattern: #"\.product\(name: "([^"]+)""#)
        let quoted = try NSRegularExpression(pattern: #""(Chargeback\w+|CXlsxWriter)""#)
        for regex in [product, quoted] {
            for match in regex.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
                names.insert(String(body[Range(match.range(at: 1), in: body)!]))
            }
        }
        return names
    }

    func testPackageDependenciesAreTheDocumentedOnes() throws {
        let manifest = try String(
            contentsOf: PackagePaths.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let rows = try documented()
        XCTAssertEqual(
            Set(rows.keys),
            [
                "ChargebackModel", "ChargebackConfig", "ChargebackNetwork", "ChargebackMeasure", "ChargebackRender",
                "ChargebackDeliver",
            ], "the table names the pipeline's targets")
        for (target, allowed) in rows {
            XCTAssertEqual(try declared(target, in: manifest), allowed, "\(target): Package.swift against the table")
        }
    }

    /// The imports of every source file of a library target are among its documented ones.
    func testSourcesImportOnlyWhatTheirTargetMay() throws {
        let rows = try documented()
        let sources = PackagePaths.root.appendingPathComponent("Sources")
        var checked = 0
        for (target, allowed) in rows {
            let folder = sources.appendingPathComponent(target)
            let files = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                    let module = String(line.dropFirst("import ".count).split(separator: " ")[0])
                    guard module != "Foundation", module != target else { continue }
                    // Yams' libyaml comes with Yams.
                    let name = module == "CYaml" ? "Yams" : module
                    XCTAssertTrue(allowed.contains(name), "\(target)/\(file) imports \(module)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 150, "every source file of the library targets was read")
    }

    /// The model is free of SwiftNIO and libxlsxwriter, and the renderers of the config, the fetch and the store.
    func testForbiddenArrowsAreAbsent() throws {
        let rows = try documented()
        let model = try XCTUnwrap(rows["ChargebackModel"])
        XCTAssertTrue(model.allSatisfy { !$0.hasPrefix("NIO") && $0 != "CXlsxWriter" }, "\(model)")
        let render = try XCTUnwrap(rows["ChargebackRender"])
        XCTAssertTrue(
            render.isDisjoint(with: ["ChargebackConfig", "ChargebackMeasure", "ChargebackCore"]), "\(render)")
    }

    /// Small files with one job: no Swift file of the package is over 400 lines. Files a script
    /// generates (the embedded templates, which are data) are not code to read and are left out.
    func testNoFileIsOverFourHundredLines() throws {
        var long: [String] = []
        var read = 0
        for folder in ["Sources", "Tests", "Benchmarks"] {
            let root = PackagePaths.root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                if text.hasPrefix("// Generated by scripts/") { continue }
                if lines > 400 { long.append("\(folder)/\(file): \(lines)") }
                read += 1
            }
        }
        XCTAssertGreaterThan(read, 400)
        XCTAssertEqual(long, [])
    }
}
