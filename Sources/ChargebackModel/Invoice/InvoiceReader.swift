import Crypto
import Foundation

/// Reads an invoice file, its format told by its content. A FOCUS CSV is streamed in chunks (any
/// length, in the memory of its AI lines and one record); a JSON cost report is read whole.
public enum InvoiceReader {
    /// JSON files past this size are refused rather than read into memory.
    static let maximumBytes = 256 * 1024 * 1024
    static let chunkBytes = 1 << 16

    /// - Parameter file: the path as the user typed it (for messages).
    /// - Throws: ``InputError`` naming the file, and the line or record and field of the problem.
    public static func read(path: String, file: String? = nil, options: InvoiceOptions = InvoiceOptions()) throws
        -> Invoice
    {
        let name = file ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: name, "cannot read the invoice: no such file or it is not readable")
        }
        defer { try? handle.close() }
        func next() throws -> Data {
            do {
                return try handle.read(upToCount: chunkBytes) ?? Data()
            } catch {
                throw InputError(file: name, "cannot read the invoice: \(error.localizedDescription)")
            }
        }
        let first = try next()
        if isJSON(first) {
            var data = first
            while true {
                let more = try next()
                if more.isEmpty { break }
                data.append(more)
                guard data.count <= maximumBytes else {
                    throw InputError(file: name, "the invoice is larger than 256 MiB")
                }
            }
            return try parse(data, file: name, options: options)
        }
        var stream = FOCUSStream(file: name, options: options)
        var chunk = first
        while !chunk.isEmpty {
            try stream.feed(chunk)
            chunk = try next()
        }
        return try stream.finish()
    }

    /// Detects the format of `data` and parses it.
    public static func parse(_ data: Data, file: String, options: InvoiceOptions = InvoiceOptions()) throws -> Invoice {
        guard !isJSON(data) else { return try json(data, file: file, options: options) }
        var stream = FOCUSStream(file: file, options: options)
        try stream.feed(data)
        return try stream.finish()
    }

    /// Whether the bytes start (after a BOM and blanks) with `{` or `[`.
    static func isJSON(_ data: Data) -> Bool {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    private static func json(_ data: Data, file: String, options: InvoiceOptions) throws -> Invoice {
        guard data.count <= maximumBytes else { throw InputError(file: file, "the invoice is larger than 256 MiB") }
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            throw InputError(file: file, "not valid JSON: \(error.localizedDescription)")
        }
        guard let format = CostReportParsers.detect(root) else {
            throw InputError(
                file: file,
                "JSON that is neither an Anthropic cost report (data[].starting_at) "
                    + "nor OpenAI organization costs (data[].start_time)")
        }
        let lines = try CostReportParsers.parse(root, format: format, file: file)
        return Invoice(
            file: file, format: format, lines: lines, sha256: SHA256.hash(data: data).hex,
            summary: Invoice.summarize(lines, period: options.period))
    }
}

/// A FOCUS CSV fed in chunks: the records, the parser and the running hash.
struct FOCUSStream {
    private var records: CSVRecords
    private var parser: FOCUSInvoiceParser
    private var hash = SHA256()
    private var sawHeader = false
    let file: String

    init(file: String, options: InvoiceOptions) {
        self.file = file
        records = CSVRecords(file: file)
        parser = FOCUSInvoiceParser(file: file, options: options)
    }

    mutating func feed(_ data: Data) throws {
        hash.update(data: data)
        var reader = CSVRecords(file: file)
        swap(&reader, &records)
        defer { swap(&reader, &records) }
        try data.withUnsafeBytes { buffer in
            try reader.feed(buffer.bindMemory(to: UInt8.self)) { try take($0, $1) }
        }
    }

    mutating func finish() throws -> Invoice {
        var reader = records
        try reader.finish { try take($0, $1) }
        guard sawHeader else { throw InputError(file: file, line: 1, "the file is empty") }
        var summary = parser.summary
        summary.setAside.sort { ($0.cost.magnitude, $1.service) > ($1.cost.magnitude, $0.service) }
        return Invoice(
            file: file, format: .focus, lines: parser.lines, sha256: hash.finalize().hex, summary: summary)
    }

    private mutating func take(_ line: Int, _ fields: [String]) throws {
        if !sawHeader {
            guard FOCUSInvoiceParser.isHeader(fields) else {
                throw InputError(
                    file: file, line: line,
                    "not a FOCUS CSV (its header needs " + FOCUSInvoiceParser.required.joined(separator: ", ")
                        + " and ServiceProviderName or ProviderName), nor a JSON cost report")
            }
            sawHeader = true
        }
        try parser.take(line: line, fields: fields)
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex.
    package var hex: String { map { String(format: "%02x", $0) }.joined() }
}
