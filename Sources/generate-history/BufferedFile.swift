import Foundation

/// Failures writing the output files.
struct OutputError: Error, CustomStringConvertible {
    let description: String
}

/// An append-only file written through a large in-memory buffer.
final class BufferedFile {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 22
    /// Bytes written so far (including the buffered ones).
    private(set) var byteCount = 0

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw OutputError(description: "cannot create \(path)")
        }
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Appends raw bytes.
    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        byteCount += bytes.count
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Appends UTF-8 text.
    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Appends one byte without checking the threshold (call `flushIfFull` after a line).
    @inline(__always)
    func append(_ byte: UInt8) {
        buffer.append(byte)
        byteCount += 1
    }

    /// Appends the decimal digits of a non-negative integer, zero-padded to `width`.
    func appendDigits(_ value: Int64, width: Int = 1) {
        let begin = buffer.count
        var rest = value
        repeat {
            buffer.append(UInt8(truncatingIfNeeded: 48 + rest % 10))
            rest /= 10
        } while rest > 0 || buffer.count - begin < width
        buffer[begin...].reverse()
        byteCount += buffer.count - begin
    }

    /// Appends already-encoded bytes without checking the threshold.
    func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        byteCount += bytes.count
    }

    /// Writes the buffer out once it has grown past the threshold.
    func flushIfFull() throws {
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes everything buffered and closes the file.
    func close() throws {
        try flush()
        do { try handle.close() } catch { throw OutputError(description: "cannot close \(path): \(error)") }
    }

    private func flush() throws {
        do {
            try buffer.withUnsafeBytes { try handle.write(contentsOf: $0) }
        } catch {
            throw OutputError(description: "cannot write \(path): \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
