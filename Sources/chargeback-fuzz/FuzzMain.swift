import CLibFuzzer
import ChargebackCore
import Foundation

/// `chargeback-fuzz TARGET [libFuzzer flags] [corpus dirs]`: runs libFuzzer on one parser
/// (a ``FuzzTarget``); an input that breaks an invariant traps, so libFuzzer saves it as a crash.
///
/// The target is also read from `CHARGEBACK_FUZZ_TARGET`, which this sets, so the child processes
/// libFuzzer starts for `-merge=1` or `-fork` run the same target.
@main
enum FuzzMain {
    nonisolated(unsafe) static var target: FuzzTarget = .config

    static func main() {
        var arguments = CommandLine.arguments
        if arguments.count > 1, let named = FuzzTarget(rawValue: arguments[1]) {
            setenv("CHARGEBACK_FUZZ_TARGET", named.rawValue, 1)
            arguments.remove(at: 1)
        }
        guard let name = ProcessInfo.processInfo.environment["CHARGEBACK_FUZZ_TARGET"],
            let selected = FuzzTarget(rawValue: name)
        else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(
                Data("usage: chargeback-fuzz \(names) [libFuzzer flags] [corpus dirs]\n".utf8))
            exit(64)
        }
        target = selected
        var argc = Int32(arguments.count)
        var cStrings: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var argv = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
                let outcome = FuzzMain.target.run(bytes)
                if !outcome.violations.isEmpty {
                    fatalError("\(FuzzMain.target.rawValue): \(outcome.violations.joined(separator: "; "))")
                }
                return 0
            }
        }
        exit(status)
    }
}
