import Foundation

/// A strict RFC 4180 reader for tests: quoted fields may hold commas, quotes and line breaks.
public enum CSVParser {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static func rows(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        var fieldStarted = false
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if quoted {
                if scalar == "\"" {
                    if index < scalars.endIndex && scalars[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index = scalars.index(after: index)
                    } else {
                        quoted = false
                        if index < scalars.endIndex && scalars[index] != "," && scalars[index] != "\n" {
                            throw Failure(description: "text after a closing quote in row \(rows.count + 1)")
                        }
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where !fieldStarted:
                quoted = true
                fieldStarted = true
            case "\"":
                throw Failure(description: "a quote inside an unquoted field in row \(rows.count + 1)")
            case ",":
                row.append(field)
                field = ""
                fieldStarted = false
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        if quoted { throw Failure(description: "an unterminated quoted field") }
        if fieldStarted || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// Rows as dictionaries keyed by the header.
    public static func records(_ text: String) throws -> (header: [String], records: [[String: String]]) {
        let all = try rows(text)
        guard let header = all.first else { throw Failure(description: "no header") }
        let records = try all.dropFirst().enumerated().map { index, row -> [String: String] in
            guard row.count == header.count else {
                throw Failure(description: "row \(index + 2) has \(row.count) cells, the header \(header.count)")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, row))
        }
        return (header, records)
    }
}
