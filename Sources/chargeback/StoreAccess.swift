import ChargebackCore
import ChargebackStores

/// Opens the config's usage store for one command and closes it afterwards, also on failure.
enum StoreAccess {
    static func with<T>(_ config: ChargebackConfig, _ body: (any UsageStore) async throws -> T) async throws -> T {
        let store = try await StoreOpener.open(config)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }
}
