extension Dictionary {
    /// The value under `key`, made by `make` and stored the first time it is asked for.
    package mutating func remembered(_ key: Key, _ make: () throws -> Value) rethrows -> Value {
        if let known = self[key] { return known }
        let value = try make()
        self[key] = value
        return value
    }
}
