import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The values a workbook caches in its sheet XML (what a reader sees before any recalculation),
/// read with `unzip` and an XML parser: per sheet name, a grid of cell texts (numbers as written).
public enum WorkbookCells {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func sheets(of workbook: URL) throws -> [String: [[String]]] {
        let names = try SheetNames.parse(try unzip(workbook, "xl/workbook.xml"))
        let shared = (try? unzip(workbook, "xl/sharedStrings.xml")).map(SharedStrings.parse) ?? []
        var sheets: [String: [[String]]] = [:]
        for (index, name) in names.enumerated() {
            let cells = try SheetCells.parse(try unzip(workbook, "xl/worksheets/sheet\(index + 1).xml"), shared: shared)
            let rows = (cells.keys.map(\.row).max() ?? -1) + 1
            let columns = (cells.keys.map(\.column).max() ?? -1) + 1
            var grid = [[String]](repeating: [String](repeating: "", count: columns), count: rows)
            for (position, text) in cells { grid[position.row][position.column] = text }
            sheets[name] = grid
        }
        return sheets
    }

    private static func unzip(_ archive: URL, _ member: String) throws -> Data {
        let unzip = try ChildProcess.runBlocking("/usr/bin/unzip", ["-p", archive.path, member], environment: [:])
        guard unzip.status == 0 else { throw Failure(description: "\(member) missing in \(archive.path)") }
        return unzip.output
    }

    /// `<sheet name="…">` in workbook order.
    private final class SheetNames: NSObject, XMLParserDelegate {
        var names: [String] = []
        static func parse(_ data: Data) throws -> [String] {
            let delegate = SheetNames()
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            guard parser.parse() else { throw Failure(description: "workbook.xml does not parse") }
            return delegate.names
        }
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "sheet", let sheet = attributes["name"] { names.append(sheet) }
        }
    }

    /// The `<si>` texts of the shared string table.
    private final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current: String?
        static func parse(_ data: Data) -> [String] {
            let delegate = SharedStrings()
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            _ = parser.parse()
            return delegate.strings
        }
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "si" { current = "" }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "si", let text = current {
                strings.append(text)
                current = nil
            }
        }
    }

    struct Position: Hashable {
        let row: Int
        let column: Int
    }

    /// Every `<c>` of a sheet: its cached `<v>` (a shared string looked up), or its inline text.
    private final class SheetCells: NSObject, XMLParserDelegate {
        var cells: [Position: String] = [:]
        var shared: [String] = []
        var position: Position?
        var type = ""
        var text: String?

        static func parse(_ data: Data, shared: [String]) throws -> [Position: String] {
            let delegate = SheetCells()
            delegate.shared = shared
            let parser = XMLParser(data: data)
            parser.delegate = delegate
            guard parser.parse() else { throw Failure(description: "a sheet does not parse") }
            return delegate.cells
        }

        static func position(_ reference: String) -> Position? {
            var column = 0
            var digits = ""
            for character in reference {
                if let letter = character.asciiValue, character.isLetter {
                    column = column * 26 + Int(letter - 64)
                } else {
                    digits.append(character)
                }
            }
            guard let row = Int(digits), column > 0 else { return nil }
            return Position(row: row - 1, column: column - 1)
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "c":
                position = attributes["r"].flatMap(Self.position)
                type = attributes["t"] ?? ""
            case "v", "t": if position != nil { text = "" }
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t":
                if let position, let value = text {
                    cells[position] =
                        type == "s"
                        ? (Int(value).flatMap { $0 < shared.count ? shared[$0] : nil } ?? "")
                        : (cells[position] ?? "") + value
                }
                text = nil
            case "c": position = nil
            default: break
            }
        }
    }
}
