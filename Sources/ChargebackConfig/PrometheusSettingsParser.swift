import ChargebackModel
import Foundation

/// Reads the `prometheus:` section of `chargeback.yaml`.
enum PrometheusSettingsParser {
    static func parse(_ node: YAMLValue, base: URL) throws -> PrometheusSettings {
        try node.allowKeys([
            "url", "headers", "bearer_token_file", "bearer_token_env", "basic_auth", "tls",
            "timeout", "retries", "allow_partial_response", "chunk", "concurrency", "plan",
        ])
        let urlNode = try node.required("url")
        var settings = PrometheusSettings(url: try parseURL(urlNode))
        if let headers = try node.optional("headers") {
            for (name, value) in try headers.entries() {
                guard name.range(of: #"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"#, options: .regularExpression) != nil else {
                    throw value.error("'\(name)' is not a valid HTTP header name")
                }
                if name.lowercased() == "authorization" {
                    throw value.error("put credentials in bearer_token_file or basic_auth, not in headers")
                }
                settings.headers[name] = try value.string()
            }
        }
        let tokenFile = try node.optional("bearer_token_file")
        let tokenEnv = try node.optional("bearer_token_env")
        let basic = try node.optional("basic_auth")
        if [tokenFile, tokenEnv, basic].compactMap({ $0 }).count > 1 {
            throw node.error("choose one of bearer_token_file, bearer_token_env and basic_auth")
        }
        if let tokenFile { settings.auth = .bearer(.file(ConfigLoader.resolve(try tokenFile.string(), against: base))) }
        if let tokenEnv { settings.auth = .bearer(.environment(try tokenEnv.string())) }
        if let basic {
            try basic.allowKeys(["username", "password_file", "password_env"])
            let username = try basic.required("username").string()
            if let file = try basic.optional("password_file") {
                settings.auth = .basic(
                    username: username,
                    password: .file(ConfigLoader.resolve(try file.string(), against: base)))
            } else if let env = try basic.optional("password_env") {
                settings.auth = .basic(username: username, password: .environment(try env.string()))
            } else {
                throw basic.error("needs password_file or password_env (passwords are never written in the config)")
            }
        }
        if let tls = try node.optional("tls") {
            settings.tls = try TLSSettingsParser.parse(tls, base: base)
        }
        // Bounded so the client's conversions to whole milliseconds and seconds cannot trap.
        if let value = try node.optional("timeout") {
            settings.timeout = try value.duration()
            guard settings.timeout <= 86400 else { throw value.error("must be at most 1d") }
        }
        if let value = try node.optional("retries") {
            settings.retries = try value.int()
            guard (0...20).contains(settings.retries) else { throw value.error("must be between 0 and 20") }
        }
        if let value = try node.optional("allow_partial_response") { settings.allowPartialResponse = try value.bool() }
        if let value = try node.optional("chunk") {
            let seconds = try value.duration()
            guard (60...31 * 86400).contains(seconds) else { throw value.error("must be between 1m and 31d") }
            settings.chunkSeconds = Int(seconds)
        }
        if let value = try node.optional("plan") {
            let text = try value.string()
            guard let plan = FetchPlan(rawValue: text) else {
                throw value.error("must be 'summaries' or 'raw', found '\(text)'")
            }
            settings.plan = plan
        }
        if let value = try node.optional("concurrency") {
            settings.concurrency = try value.int()
            guard (1...64).contains(settings.concurrency) else { throw value.error("must be between 1 and 64") }
        }
        return settings
    }

    /// An http(s) URL without credentials or query.
    static func parseURL(_ node: YAMLValue) throws -> URL {
        let text = try node.string()
        return try parseURL(text) { node.error($0) }
    }

    /// Shared by the config and `--prometheus-url`.
    static func parseURL(_ text: String, error: (String) -> Error) throws -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), components.host?.isEmpty == false
        else { throw error("expected an http:// or https:// URL, found '\(RedactedURL.string(text))'") }
        if components.user != nil || components.password != nil {
            throw error("the URL must not contain credentials; use bearer_token_file or basic_auth")
        }
        if components.query != nil { throw error("the URL must not contain a query string") }
        var clean = components
        while clean.path.hasSuffix("/") { clean.path.removeLast() }
        guard let url = clean.url else { throw error("cannot use the URL '\(text)'") }
        return url
    }
}

/// Renders URLs for messages and the manifest with any user info removed.
public enum RedactedURL {
    public static func string(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "<unparseable URL>" }
        if components.user != nil || components.password != nil {
            components.user = nil
            components.password = nil
        }
        components.query = nil
        return components.string ?? "<unparseable URL>"
    }
}

/// The rules for a Prometheus base URL, for `--prometheus-url`.
public enum PrometheusURLRules {
    /// - Throws: ``InputError`` for anything but an http(s) URL without credentials or query.
    public static func parse(_ text: String) throws -> URL {
        try PrometheusSettingsParser.parseURL(text) { InputError(file: nil, "--prometheus-url: \($0)") }
    }
}
