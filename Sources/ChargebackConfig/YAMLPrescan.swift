import CYaml  // libyaml, built by the Yams package
import ChargebackModel

/// A pass over libyaml's events before Yams composes the document, rejecting what is cheap to
/// write but costly to compose.
///
/// Yams hashes every mapping key to find duplicates, so a key that is an alias of nested aliases
/// (`? *big`) makes it walk a tree that grows exponentially with the file: a few hundred bytes
/// hang it. Our files only ever have text keys, and no sane file expands to many values, so both
/// are refused with the position of the offending node. Syntax errors are left to Yams.
enum YAMLPrescan {
    /// The most values (scalars and collections) a file may hold once aliases are expanded.
    static let maxValues = 100_000

    private struct Frame {
        let isMapping: Bool
        let anchor: String?
        var expectsKey = true
        var size = 1
    }

    static func check(_ text: String, file: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var stack: [Frame] = []
            var anchors: [String: Int] = [:]
            func fail(_ event: yaml_event_t, _ message: String) -> InputError {
                InputError(
                    file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                    message)
            }
            /// Adds a finished node of `size` values to its parent.
            func finish(_ size: Int, anchor: String?, _ event: yaml_event_t) throws {
                guard size <= maxValues else {
                    throw fail(event, "aliases expand this file to more than \(maxValues) values")
                }
                if let anchor { anchors[anchor] = size }
                guard !stack.isEmpty else { return }
                stack[stack.count - 1].size = min(stack[stack.count - 1].size + size, maxValues + 1)
                if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectsKey.toggle() }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let type = event.type
                if type == YAML_STREAM_END_EVENT { return }
                let startsNode =
                    type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT
                    || type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT
                if startsNode, let top = stack.last, top.isMapping, top.expectsKey, type != YAML_SCALAR_EVENT {
                    throw fail(event, "keys must be text, not a list, a mapping or an alias")
                }
                switch type {
                case YAML_SCALAR_EVENT:
                    try finish(1, anchor: name(event.data.scalar.anchor), event)
                case YAML_ALIAS_EVENT:
                    try finish(name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1, anchor: nil, event)
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(Frame(isMapping: false, anchor: name(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append(Frame(isMapping: true, anchor: name(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = stack.popLast() else { return }
                    try finish(done.size, anchor: done.anchor, event)
                default:
                    break
                }
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: $0) }
    }
}
