import XCTest

@testable import ChargebackConfig
@testable import ChargebackCore
@testable import ChargebackDeliver
@testable import ChargebackMeasure
@testable import ChargebackModel
@testable import ChargebackNetwork
@testable import ChargebackRender

final class TemplateTests: XCTestCase {
    /// The built-in templates must be the files in templates/ (regenerate with scripts/embed-templates.sh).
    func testEmbeddedTemplatesMatchTheTemplatesFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("templates")
        let files =
            FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }
            .filter { !$0.hasSuffix("/") && !FileManager.default.isDirectory(folder.appendingPathComponent($0)) } ?? []
        XCTAssertEqual(Set(files), Set(DefaultTemplates.all.keys), "run scripts/embed-templates.sh")
        for name in files {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(DefaultTemplates.all[name], text, "\(name) differs: run scripts/embed-templates.sh")
        }
    }

    func testMarkdownEscapingKeepsLabelsAsText() {
        let escape = MarkdownEscaping()
        XCTAssertEqual(escape.escapeText("a|b\nc"), "a\\|b c")
        XCTAssertEqual(escape.escapeText("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;")
        XCTAssertEqual(escape.escapeText("[x](http://evil)"), "\\[x\\](http://evil)")
        XCTAssertEqual(escape.escapeText("kgateway-system/agentgateway1"), "kgateway-system/agentgateway1")
    }
}

extension FileManager {
    func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}
