import ChargebackModel
import Foundation

/// A cell of a CSV file: text from users or Prometheus, or a number that must stay a number.
public enum CSVCell: Sendable, Equatable {
    case text(String)
    case number(String)
    case empty

    /// A text cell made safe and quoted once, for a text many rows repeat: its bytes are then
    /// written as they are, like a number's.
    static func prepared(_ text: String) -> CSVCell { .number(CSVTable.render(.text(text))) }
}

/// RFC 4180 CSV with `\n` line ends, UTF-8, and formula injection neutralised.
public struct CSVTable {
    public let header: [String]
    /// The file so far in pieces of about ``pieceBytes`` (a FOCUS file of 50,000 series is tens
    /// of megabytes: written piece by piece, it is never copied into one string), and the last one.
    private var full: [String] = []
    private var last: String

    static let pieceBytes = 1 << 20

    /// Whether a cell's first byte makes a spreadsheet read it as a formula: `=`, `+`, `-`, `@`,
    /// tab, CR (all ASCII, so the first UTF-8 byte tells).
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true
        default: false
        }
    }

    /// Whether a byte makes RFC 4180 quote its cell: `,`, `"`, LF, CR.
    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    public init(header: [String]) {
        self.header = header
        last = header.map { Self.render(.text($0)) }.joined(separator: ",") + "\n"
    }

    /// The whole file.
    public var text: String { pieces.joined() }

    /// The whole file in pieces, in order.
    public var pieces: [String] { full + [last] }

    /// A table whose money columns (`cost_usd`, `budget_usd`, …) are named after `money`, the
    /// report's currency: `cost_eur` in a EUR report, unchanged in a USD one.
    public init(money currency: String, header: [String]) {
        let suffix = "_" + currency.lowercased()
        self.init(header: header.map { $0.hasSuffix("_usd") ? String($0.dropLast(4)) + suffix : $0 })
    }

    /// Appends a row; it must have as many cells as the header.
    public mutating func append(_ cells: [CSVCell]) {
        precondition(cells.count == header.count, "CSV row width must match its header")
        for (index, cell) in cells.enumerated() {
            if index > 0 { last += "," }
            last += Self.render(cell)
        }
        last += "\n"
        if last.utf8.count >= Self.pieceBytes {
            full.append(last)
            last = ""
        }
    }

    /// Whether a text is written as it is: no formula start, nothing to quote (nearly every cell).
    static func isPlain(_ text: String) -> Bool {
        func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let first = bytes.first else { return true }
            return !startsFormula(first) && !bytes.contains(where: needsQuotes)
        }
        if let known = text.utf8.withContiguousStorageIfAvailable(plain) { return known }
        return Array(text.utf8).withUnsafeBufferPointer(plain)
    }

    /// A text cell made safe: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front so a
    /// spreadsheet shows it as text instead of running it, then RFC 4180 quoting where needed.
    static func render(_ cell: CSVCell) -> String {
        switch cell {
        case .empty:
            return ""
        case .number(let text):
            return text
        case .text(let raw):
            // Nearly every cell: written as it is.
            if isPlain(raw) { return raw }
            var text = raw
            if let first = text.utf8.first, startsFormula(first) { text = "'" + text }
            guard text.utf8.contains(where: needsQuotes) else { return text }
            // Each `"` doubled, by bytes (the FOCUS tags' JSON has many: NSString's replace is slow).
            var quoted: [UInt8] = [0x22]
            quoted.reserveCapacity(text.utf8.count + 8)
            for byte in text.utf8 {
                quoted.append(byte)
                if byte == 0x22 { quoted.append(0x22) }
            }
            quoted.append(0x22)
            return String(decoding: quoted, as: UTF8.self)
        }
    }
}
