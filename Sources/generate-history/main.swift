import Foundation

/// generate-history: a deterministic OpenMetrics history of three agentgateways, with ground truth.
do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    if options.help {
        print(Options.usage)
    } else if options.users > 0 {
        try UserWorld(options: options).run()
    } else {
        World.configure(options)
        try Generator(options: options).run()
    }
} catch let error as UsageError {
    printError("generate-history: \(error)\n\n\(Options.usage)")
    exit(64)
} catch {
    printError("generate-history: \(error)")
    exit(1)
}
