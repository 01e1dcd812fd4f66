import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// A forward-only reader of JSON text, byte by byte, for the few shapes the Prometheus API answers
/// with. It never builds a tree: callers read what they expect and skip the rest.
package struct JSONScanner {
    /// Why the text could not be read.
    package enum Failure: Error, Equatable {
        /// The text ended inside a value: a cut-off body.
        case truncated
        /// A byte that no JSON value can have there.
        case malformed
        /// Valid JSON of the wrong type at `path` (e.g. `data.result[0].values`).
        case shape(path: String, expected: String)
        /// A required field is absent from the object at `path`.
        case missing(path: String, field: String)
        /// A value of the right type that cannot be used (a bad timestamp or sample value).
        case invalid(path: String, detail: String)
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var index = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next non-space byte, not consumed.
    mutating func peek() throws -> UInt8 {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return bytes[index]
            }
        }
        throw Failure.truncated
    }

    /// Whether only white space is left.
    mutating func atEnd() -> Bool { (try? peek()) == nil }

    /// Consumes `byte` (after white space) or fails.
    mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Failure.malformed }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func take(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        index += 1
        return true
    }

    /// The JSON type name of the next value, for shape messages.
    mutating func kind() throws -> String {
        switch try peek() {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "true or false"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }

    /// Consumes `null` if it comes next.
    mutating func takeNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Reads `{ "key": value, … }`, calling `field` with each key; `field` must consume the value.
    mutating func object(at path: @autoclosure () -> String, _ field: (inout JSONScanner, String) throws -> Void) throws
    {
        guard try peek() == UInt8(ascii: "{") else { throw Failure.shape(path: path(), expected: "an object") }
        index += 1
        if try take(UInt8(ascii: "}")) { return }
        repeat {
            guard try peek() == UInt8(ascii: "\"") else { throw Failure.malformed }
            let key = try string(at: path())
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
    }

    /// Reads `[ value, … ]`, calling `element` with each index; `element` must consume the value.
    mutating func array(at path: @autoclosure () -> String, _ element: (inout JSONScanner, Int) throws -> Void) throws {
        guard try peek() == UInt8(ascii: "[") else { throw Failure.shape(path: path(), expected: "an array") }
        index += 1
        if try take(UInt8(ascii: "]")) { return }
        var position = 0
        repeat {
            try element(&self, position)
            position += 1
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
    }

    /// Reads a string, resolving escapes.
    mutating func string(at path: @autoclosure () -> String) throws -> String {
        guard try peek() == UInt8(ascii: "\"") else { throw Failure.shape(path: path(), expected: "a string") }
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw Failure.malformed }
            index += 1
        }
        guard index < bytes.count else { throw Failure.truncated }
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw Failure.truncated }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case 0..<0x20:
                throw Failure.malformed
            default:
                utf8.append(byte)
            }
        }
    }

    /// Reads a JSON number as written, e.g. `1790816399.999`.
    mutating func number(at path: @autoclosure () -> String) throws -> Double {
        let first = try peek()
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw Failure.shape(path: path(), expected: "a number")
        }
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index < bytes.count else { throw Failure.truncated }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), Self.isJSONNumber(text) else { throw Failure.malformed }
        return value
    }

    /// Reads a timestamp in seconds (`1790816399.999`) as whole milliseconds, exactly for up to
    /// three decimals; other forms go through `Double`.
    mutating func milliseconds(at path: @autoclosure () -> String) throws -> Int64 {
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(try peek()) {
            var cursor = index
            let (whole, digits) = decimalDigits(from: &cursor, atMost: 11)
            var fraction: Int64 = 0
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
                cursor += 1
                let (value, decimals) = decimalDigits(from: &cursor, atMost: 3)
                if decimals == 0 { throw Failure.malformed }
                fraction = value * [1, 100, 10, 1][decimals]
            }
            // Done when the number ends here (more digits or an exponent take the slow path).
            if digits <= 10, cursor < bytes.count, !Self.isNumberByte(bytes[cursor]) {
                index = cursor
                return whole * 1000 + fraction
            }
        }
        let seconds = try number(at: path())
        guard seconds.isFinite, abs(seconds) < 1e11 else {
            throw Failure.invalid(path: path(), detail: "bad timestamp \(seconds)")
        }
        return Int64((seconds * 1000).rounded())
    }

    /// Reads a sample value string: digits, a decimal, `NaN`, `+Inf`, `-Inf`.
    mutating func sampleValue(at path: @autoclosure () -> String) throws -> Double {
        guard try peek() == UInt8(ascii: "\"") else { throw Failure.shape(path: path(), expected: "a string") }
        // Fast path: "123456" (up to 15 digits, exact in a Double).
        var cursor = index + 1
        let (value, digits) = decimalDigits(from: &cursor, atMost: 15)
        if digits > 0, cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") {
            index = cursor + 1
            return Double(value)
        }
        let text = try string(at: path())
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let parsed = Double(text), parsed.isFinite else {
                throw Failure.invalid(path: path(), detail: "bad sample value \(text.prefix(40))")
            }
            return parsed
        }
    }

    /// Reads `true` or `false`.
    mutating func bool(at path: @autoclosure () -> String) throws -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw Failure.shape(path: path(), expected: "true or false")
        }
    }

    /// Skips one value of any type.
    mutating func skipValue() throws {
        switch try peek() {
        case UInt8(ascii: "{"): try object(at: "") { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "["): try array(at: "") { scanner, _ in try scanner.skipValue() }
        case UInt8(ascii: "\""): _ = try string(at: "")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number(at: "")
        }
    }

    // MARK: - Internals

    /// Reads up to `atMost` decimal digits at `cursor` (moving it past them): their value and count.
    private func decimalDigits(from cursor: inout Int, atMost limit: Int) -> (value: Int64, count: Int) {
        var value: Int64 = 0
        var count = 0
        while count < limit, cursor < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[cursor]) {
            value = value * 10 + Int64(bytes[cursor] - UInt8(ascii: "0"))
            cursor += 1
            count += 1
        }
        return (value, count)
    }

    private mutating func literal(_ word: StaticString) throws {
        _ = try peek()
        let length = word.utf8CodeUnitCount
        for offset in 0..<length {
            guard index + offset < bytes.count else { throw Failure.truncated }
            guard bytes[index + offset] == word.utf8Start[offset] else { throw Failure.malformed }
        }
        index += length
    }

    private mutating func escape(into utf8: inout [UInt8]) throws {
        guard index < bytes.count else { throw Failure.truncated }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by \u and a low one.
                guard index + 1 < bytes.count else { throw Failure.truncated }
                guard bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw Failure.malformed
                }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw Failure.malformed }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw Failure.malformed
            }
            utf8.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default:
            throw Failure.malformed
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure.truncated }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure.malformed
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    /// The JSON number grammar (Swift's `Double` also takes `nan`, hex, `.5`, …).
    private static func isJSONNumber(_ text: String) -> Bool {
        text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil
    }
}
