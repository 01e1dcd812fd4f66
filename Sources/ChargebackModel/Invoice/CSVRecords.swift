import Foundation

/// RFC 4180 records read from bytes in chunks, one record at a time, each with the line it starts
/// on (1-based), so a file of any length is read in the memory of its longest record.
///
/// A leading UTF-8 BOM is skipped; `\n`, `\r\n` and a lone `\r` end a record; blank lines are
/// skipped; text after a closing quote is kept as it is.
struct CSVRecords {
    /// A record longer than this is refused (a quote never closed would otherwise swallow the file).
    static let maximumRecordBytes = 4 * 1024 * 1024

    let file: String
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var recordBytes = 0
    private var quoted = false
    private var quoteSeen = false  // inside quotes, a `"` that may close them or start `""`
    private var started = false
    private var afterCR = false
    private var line = 1
    private var recordLine = 1
    private var first = true

    init(file: String) { self.file = file }

    /// Feeds the next bytes; `record` is called for each record they complete.
    /// - Throws: ``InputError`` for a record past ``maximumRecordBytes`` or text that is not UTF-8.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, record: (Int, [String]) throws -> Void) throws {
        var from = 0
        if first && !bytes.isEmpty {
            if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { from = 3 }
            first = false
        }
        for index in from..<bytes.count {
            let byte = bytes[index]
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            recordBytes += 1
            if recordBytes > Self.maximumRecordBytes {
                throw InputError(file: file, line: recordLine, "a record longer than 4 MiB (a quote never closed?)")
            }
            if quoted {
                if quoteSeen {
                    quoteSeen = false
                    if byte == 0x22 {
                        field.append(0x22)
                        continue
                    }
                    quoted = false
                } else {
                    if byte == 0x22 {
                        quoteSeen = true
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
            }
            switch byte {
            case 0x22 where field.isEmpty && !started:
                quoted = true
                started = true
            case 0x2C:
                try endField()
            case 0x0A, 0x0D:
                try endField()
                if !(fields.count == 1 && fields[0].isEmpty) { try record(recordLine, fields) }
                fields.removeAll(keepingCapacity: true)
                recordBytes = 0
                line += 1
                recordLine = line
                afterCR = byte == 0x0D
            default:
                field.append(byte)
                started = true
            }
        }
    }

    /// Ends the input: the last record, if the file does not end with a line break.
    /// - Throws: ``InputError`` naming the line of an unterminated quoted field.
    mutating func finish(record: (Int, [String]) throws -> Void) throws {
        if quoted && !quoteSeen { throw InputError(file: file, line: recordLine, "a quoted field is not closed") }
        quoted = false
        if !field.isEmpty || !fields.isEmpty || started {
            try endField()
            try record(recordLine, fields)
            fields = []
        }
    }

    private mutating func endField() throws {
        guard let text = String(validating: field, as: UTF8.self) else {
            throw InputError(file: file, line: recordLine, column: fields.count + 1, "not UTF-8 text")
        }
        fields.append(text)
        field.removeAll(keepingCapacity: true)
        started = false
    }

    /// Every record of `text` at once (for small files and tests).
    static func parse(_ text: String, file: String) throws -> [(line: Int, fields: [String])] {
        var reader = CSVRecords(file: file)
        var records: [(line: Int, fields: [String])] = []
        try Array(text.utf8).withUnsafeBufferPointer { bytes in
            try reader.feed(bytes) { records.append(($0, $1)) }
        }
        try reader.finish { records.append(($0, $1)) }
        return records
    }
}
