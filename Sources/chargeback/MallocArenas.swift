import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Limits glibc's malloc to one arena for the process, before any thread starts.
///
/// A report's fetch allocates response buffers and parsed series on several threads (the HTTP
/// client's event loop, the concurrency pool), and glibc gives busy threads arenas of their own.
/// Memory that one period's fetch freed in one arena is then not reused by the next period's
/// fetch running on another thread, so each period measured after the first (the comparison,
/// the trend) added its working set to the peak RSS. With one arena the next fetch reuses it.
/// A `MALLOC_ARENA_MAX` in the environment wins; without glibc's `mallopt` nothing changes.
enum MallocArenas {
    /// glibc's `M_ARENA_MAX` option of `mallopt`.
    private static let arenaMaxOption: Int32 = -8

    static func limitToOne() {
        #if os(Linux)
            guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
                let symbol = dlsym(nil, "mallopt")
            else { return }
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMaxOption, 1)
        #endif
    }
}
