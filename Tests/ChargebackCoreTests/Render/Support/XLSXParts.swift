import Foundation
import TestSupport
import XCTest

/// The parts of an `.xlsx` file as the spreadsheet reads them (cells with their styles, row
/// heights, column widths, number formats, charts), for tests of how a workbook looks.
/// Reads the zip with `unzip -p`; parses the plain XML libxlsxwriter writes with regular expressions.
struct XLSXParts {
    /// One cell: its text (a shared or inline string, or the number as written) and its style.
    struct Cell {
        let row: Int
        let column: Int
        let text: String
        let isString: Bool
        let style: Int
    }

    /// A cell style (`cellXfs` entry): its number format and alignment.
    struct Style {
        let numberFormat: String
        let wraps: Bool
        let horizontal: String?
        let bold: Bool
    }

    let url: URL

    init(_ url: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else {
            throw XCTSkip("unzip is not installed; run scripts/install-deps.sh")
        }
        self.url = url
    }

    /// The text of one member of the zip, e.g. `xl/worksheets/sheet8.xml`.
    func part(_ name: String) throws -> String {
        try ChildProcess.runBlocking("/usr/bin/unzip", ["-p", url.path, name], environment: [:]).stdout
    }

    /// The worksheet part of a sheet by name, following workbook.xml and its relationships.
    func sheetXML(_ name: String) throws -> String {
        let workbook = try part("xl/workbook.xml")
        let sheets = Self.elements("sheet", in: workbook)
        let escaped = name.replacingOccurrences(of: "&", with: "&amp;")
        guard let sheet = sheets.first(where: { $0["name"] == escaped }), let id = sheet["r:id"] else {
            throw XCTSkip("no sheet \(name)")
        }
        let relations = Self.elements("Relationship", in: try part("xl/_rels/workbook.xml.rels"))
        guard let target = relations.first(where: { $0["Id"] == id })?["Target"] else { throw XCTSkip("no target") }
        return try part("xl/" + target)
    }

    /// Every cell of a sheet.
    func cells(_ sheet: String) throws -> [Cell] {
        let xml = try sheetXML(sheet)
        let shared = Self.matches(#"<si>(.*?)</si>"#, in: (try? part("xl/sharedStrings.xml")) ?? "")
            .map { Self.unescape(Self.matches(#"<t[^>]*>(.*?)</t>"#, in: $0[1]).map { $0[1] }.joined()) }
        return Self.matches(#"<c ([^>]*?)(?:/>|>(.*?)</c>)"#, in: xml).compactMap { match in
            let attributes = Self.attributes(match[1])
            guard let reference = attributes["r"], let (row, column) = Self.position(reference) else { return nil }
            let body = match.count > 2 ? match[2] : ""
            let type = attributes["t"]
            var text = Self.matches(#"<v>(.*?)</v>"#, in: body).first?[1] ?? ""
            if type == "s", let index = Int(text), shared.indices.contains(index) { text = shared[index] }
            if type == "inlineStr" || type == "str" {
                text = Self.unescape(Self.matches(#"<t[^>]*>(.*?)</t>"#, in: body).map { $0[1] }.joined())
            }
            return Cell(
                row: row, column: column, text: type == "s" ? text : Self.unescape(text),
                isString: type == "s" || type == "inlineStr", style: Int(attributes["s"] ?? "0") ?? 0)
        }
    }

    /// Row heights in points by zero-based row, for rows that set one.
    func rowHeights(_ sheet: String) throws -> [Int: Double] {
        var heights: [Int: Double] = [:]
        for row in Self.elements("row", in: try sheetXML(sheet)) {
            if let r = row["r"].flatMap(Int.init), let height = row["ht"].flatMap(Double.init) {
                heights[r - 1] = height
            }
        }
        return heights
    }

    /// Column widths in characters by zero-based column.
    func columnWidths(_ sheet: String) throws -> [Int: Double] {
        var widths: [Int: Double] = [:]
        for col in Self.elements("col", in: try sheetXML(sheet)) {
            guard let min = col["min"].flatMap(Int.init), let max = col["max"].flatMap(Int.init),
                let width = col["width"].flatMap(Double.init)
            else { continue }
            for column in min...max { widths[column - 1] = width }
        }
        return widths
    }

    /// The cell styles by index.
    func styles() throws -> [Style] {
        let xml = try part("xl/styles.xml")
        var formats: [Int: String] = [0: "General", 14: "m/d/yyyy", 22: "m/d/yyyy h:mm"]
        for format in Self.elements("numFmt", in: xml) {
            if let id = format["numFmtId"].flatMap(Int.init) { formats[id] = Self.unescape(format["formatCode"] ?? "") }
        }
        let fonts =
            Self.matches(#"<fonts[^>]*>(.*?)</fonts>"#, in: xml).first.map {
                Self.matches(#"<font>(.*?)</font>"#, in: $0[1]).map { $0[1].contains("<b/>") }
            } ?? []
        guard let cellXfs = Self.matches(#"<cellXfs[^>]*>(.*?)</cellXfs>"#, in: xml).first?[1] else { return [] }
        return Self.matches(#"<xf ([^>]*?)(?:/>|>(.*?)</xf>)"#, in: cellXfs).map { match in
            let attributes = Self.attributes(match[1])
            let alignment = Self.elements("alignment", in: match.count > 2 ? match[2] : "").first ?? [:]
            let font = Int(attributes["fontId"] ?? "0") ?? 0
            return Style(
                numberFormat: formats[Int(attributes["numFmtId"] ?? "0") ?? 0] ?? "?",
                wraps: alignment["wrapText"] == "1", horizontal: alignment["horizontal"],
                bold: fonts.indices.contains(font) && fonts[font])
        }
    }

    // MARK: - XML by regular expression

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return expression.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (0..<match.numberOfRanges).map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }

    /// The attributes of every `<name …>` element.
    static func elements(_ name: String, in text: String) -> [[String: String]] {
        matches("<\(name) ([^>]*?)/?>", in: text).map { attributes($0[1]) }
    }

    static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for match in matches(#"([\w:]+)="([^"]*)""#, in: text) { result[match[1]] = match[2] }
        return result
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `B12` → (11, 1).
    static func position(_ reference: String) -> (Int, Int)? {
        var column = 0
        var digits = ""
        for character in reference {
            if let ascii = character.asciiValue, character.isLetter {
                column = column * 26 + Int(ascii - 64)
            } else {
                digits.append(character)
            }
        }
        guard let row = Int(digits), column > 0 else { return nil }
        return (row - 1, column - 1)
    }
}
