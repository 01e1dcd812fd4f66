import ChargebackConfig
import ChargebackModel
import ChargebackNetwork

/// Reads a query answer as its bytes arrive: each series object of `data.result` is cut out and
/// decoded as soon as its closing brace comes, so a body of tens of megabytes is never held whole,
/// only the series decoded so far and the rest of the document (status, warnings, …) without them.
///
/// The cut is structural (strings and escapes followed, containers counted), whatever the order of
/// the fields; ``finish()`` reads what is left with ``QueryResponse/parse(_:)`` and puts the
/// series back, so the answer and every error are those of reading the whole body at once.
/// Label names and values are interned: the thousands of series of one answer share one copy of
/// each pod, model or gateway name.
struct ResultStream {
    /// The body without the streamed series (and the commas between them).
    private(set) var rest: [UInt8] = []
    /// The bytes of the series object being cut, when it spans chunks.
    private var element: [UInt8] = []
    private var series: [SeriesSamples] = []
    private var interned = Set<String>()
    /// Open containers: `{` or `[`, the key each is the value of (short keys only), and whether
    /// it is `data.result`.
    private var open: [(kind: UInt8, key: [UInt8]?, isResult: Bool)] = []
    private var inString = false
    private var escaped = false
    /// The bytes of the string being read (at most 16) and of the last one read.
    private var text: [UInt8] = []
    private var lastText: [UInt8]?
    private var pendingKey: [UInt8]?
    /// Whether a series is being cut, and whether the last element of the result was a cut
    /// series (its comma is dropped with it).
    private var cutting = false
    private var afterCut = false
    /// The containers open inside the series being cut (its own brace counts one).
    private var cutDepth = 0
    /// Bytes seen, and the first ones, for messages.
    private(set) var size = 0
    private(set) var head: [UInt8] = []

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
    private static let comma = UInt8(ascii: ","), openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    private static let data = Array("data".utf8), result = Array("result".utf8)

    /// Whether the innermost open container is `data.result`: its elements are the series.
    private var atResultLevel: Bool { open.count == 3 && open[2].isResult }

    /// Feeds the next bytes of the body.
    /// - Throws: ``JSONScanner/Failure`` for a series that cannot be read.
    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
        if head.count < 4096 { head += chunk.prefix(4096 - head.count) }
        size += chunk.count
        var start = 0  // first byte of the chunk not yet copied to `rest` or `element`
        for index in 0..<chunk.count {
            let byte = chunk[index]
            if cutting {
                // Inside a series only strings and nesting matter, until its closing brace.
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == Self.backslash {
                        escaped = true
                    } else if byte == Self.quote {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case Self.quote:
                    inString = true
                case Self.openBrace, Self.openBracket:
                    cutDepth += 1
                case Self.closeBrace, Self.closeBracket:
                    cutDepth -= 1
                    if cutDepth == 0 {
                        element += UnsafeRawBufferPointer(rebasing: chunk[start...index])
                        start = index + 1
                        try cut()
                        cutting = false
                        afterCut = true
                    }
                default:
                    break
                }
                continue
            }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == Self.backslash {
                    escaped = true
                    text = Array(repeating: 0, count: 17)  // a key with escapes is never one we look for
                } else if byte == Self.quote {
                    inString = false
                    lastText = text.count <= 16 ? text : nil
                } else if text.count <= 16 {
                    text.append(byte)
                }
                continue
            }
            switch byte {
            case Self.quote:
                inString = true
                text.removeAll(keepingCapacity: true)
            case Self.colon:
                if open.last?.kind == Self.openBrace { pendingKey = lastText }
            case Self.openBrace, Self.openBracket:
                if atResultLevel, byte == Self.openBrace {
                    rest += UnsafeRawBufferPointer(rebasing: chunk[start..<index])
                    start = index
                    cutting = true
                    cutDepth = 1
                    continue
                }
                let key = open.last?.kind == Self.openBrace ? pendingKey : nil
                pendingKey = nil
                let isResult =
                    byte == Self.openBracket && open.count == 2 && open[0].kind == Self.openBrace
                    && open[1].kind == Self.openBrace && open[1].key == Self.data && key == Self.result
                if isResult { afterCut = false }
                open.append((byte, key, isResult))
            case Self.closeBrace, Self.closeBracket:
                guard !open.isEmpty else { continue }  // malformed: the final parse says so
                open.removeLast()
            case Self.comma:
                if atResultLevel, afterCut {
                    rest += UnsafeRawBufferPointer(rebasing: chunk[start..<index])
                    start = index + 1
                    afterCut = false
                }
            default:
                break
            }
        }
        if cutting {
            element += UnsafeRawBufferPointer(rebasing: chunk[start...])
        } else {
            rest += UnsafeRawBufferPointer(rebasing: chunk[start...])
        }
    }

    /// Decodes the series just cut.
    private mutating func cut() throws {
        let index = series.count
        var table = Set<String>()
        swap(&table, &interned)
        defer { swap(&table, &interned) }
        let decoded = try element.withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes)
            return try QueryResponse.parseSeries(&scanner, path: "data.result[\(index)]", intern: &table)
        }
        series.append(decoded)
        element.removeAll(keepingCapacity: true)
    }

    /// The answer: the rest of the document read whole, with the series cut from it.
    /// - Throws: ``JSONScanner/Failure`` as ``QueryResponse/parse(_:)`` would for the whole body.
    mutating func finish() throws -> QueryResponse {
        guard !cutting else { throw JSONScanner.Failure.truncated }
        var response = try rest.withUnsafeBytes { try QueryResponse.parse($0) }
        if !series.isEmpty {
            response.result = (response.result ?? []) + series
            series = []
        }
        return response
    }
}
