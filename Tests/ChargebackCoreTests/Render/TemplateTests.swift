import XCTest
@testable import ChargebackCore

final class TemplateTests: XCTestCase {
    /// The built-in template must be the one in templates/ (regenerate with scripts/embed-templates.sh).
    func testEmbeddedTemplateMatchesTemplatesFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("templates/report.md.mustache"), encoding: .utf8)
        XCTAssertEqual(DefaultTemplates.reportMd, file, "run scripts/embed-templates.sh")
        let mail = try String(contentsOf: root.appendingPathComponent("templates/team-mail.txt.mustache"), encoding: .utf8)
        XCTAssertEqual(DefaultTemplates.teamMailTxt, mail, "run scripts/embed-templates.sh")
    }

    func testMarkdownEscapingKeepsLabelsAsText() {
        let escape = MarkdownEscaping()
        XCTAssertEqual(escape.escapeText("a|b\nc"), "a\\|b c")
        XCTAssertEqual(escape.escapeText("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;")
        XCTAssertEqual(escape.escapeText("[x](http://evil)"), "\\[x\\](http://evil)")
        XCTAssertEqual(escape.escapeText("kgateway-system/agentgateway1"), "kgateway-system/agentgateway1")
    }
}
