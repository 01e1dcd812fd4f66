import ChargebackModel
import Foundation

/// Reads the `mail:` block of `chargeback.yaml` and the mail addresses of `teams.yaml`.
enum MailSettingsParser {
    static func parse(_ node: YAMLValue, base: URL) throws -> MailSettings {
        try node.allowKeys(["from", "reply_to", "smtp"])
        let from = try mailbox(try node.required("from"))
        let replyTo = try node.optional("reply_to").map(mailbox)
        let smtp = try parseSMTP(try node.required("smtp"), base: base)
        return MailSettings(from: from, replyTo: replyTo, smtp: smtp)
    }

    private static func parseSMTP(_ node: YAMLValue, base: URL) throws -> SMTPSettings {
        try node.allowKeys([
            "url", "starttls", "username", "password_file", "password_env", "ca_file", "cert_file",
            "key_file", "insecure_skip_verify", "timeout", "retries", "helo",
        ])
        let urlNode = try node.required("url")
        let text = try urlNode.string()
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw urlNode.error("expected smtp://host:port or smtps://host:port, found '\(RedactedURL.string(text))'")
        }
        if components.user != nil || components.password != nil {
            throw urlNode.error("the URL must not contain credentials; use username and password_file or password_env")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil else {
            throw urlNode.error("the URL takes only a host and a port")
        }
        let port = components.port ?? (scheme == "smtps" ? 465 : 25)
        guard (1...65535).contains(port) else { throw urlNode.error("the port must be between 1 and 65535") }
        let starttlsNode = try node.optional("starttls")
        let starttls = try starttlsNode?.bool()
        if scheme == "smtps", starttls == true {
            throw starttlsNode!.error("smtps:// is TLS from the start; starttls is for smtp:// URLs")
        }
        let security: SMTPSettings.Security = scheme == "smtps" ? .implicitTLS : starttls == false ? .plain : .starttls
        var settings = SMTPSettings(host: host, port: port, security: security)
        let username = try node.optional("username")
        let file = try node.optional("password_file")
        let env = try node.optional("password_env")
        if file != nil && env != nil { throw node.error("choose one of password_file and password_env") }
        if let username {
            let name = try username.string()
            guard !name.isEmpty, !name.unicodeScalars.contains(where: Mailbox.isForbidden) else {
                throw username.error("must be a user name without line breaks or control characters")
            }
            settings.username = name
            if let file {
                settings.password = .file(ConfigLoader.resolve(try file.string(), against: base))
            } else if let env {
                settings.password = .environment(try env.string())
            } else {
                throw username.error("needs password_file or password_env (passwords are never written in the config)")
            }
            if security == .plain {
                throw username.error(
                    "the password would cross the network in clear text: use starttls: true "
                        + "or an smtps:// URL")
            }
        } else if let stray = file ?? env {
            throw stray.error("a password needs a username")
        }
        func path(_ key: String) throws -> String? {
            try node.optional(key).map { ConfigLoader.resolve(try $0.string(), against: base) }
        }
        settings.tls = TLSSettings(
            caFile: try path("ca_file"), certFile: try path("cert_file"),
            keyFile: try path("key_file"),
            insecureSkipVerify: try node.optional("insecure_skip_verify")?.bool() ?? false)
        if (settings.tls.certFile == nil) != (settings.tls.keyFile == nil) {
            throw node.error("cert_file and key_file go together")
        }
        if let value = try node.optional("timeout") {
            let seconds = try value.duration()
            guard seconds >= 1, seconds <= 3600 else { throw value.error("must be between 1s and 1h") }
            settings.timeouts = .uniform(seconds)
        }
        if let value = try node.optional("helo") {
            let name = try value.string()
            guard SMTPHelloName.isValid(name) else {
                throw value.error(
                    "must be a fully qualified domain name (mail.example.com) or an address literal ([192.0.2.1])")
            }
            settings.helo = name
        }
        if let value = try node.optional("retries") {
            settings.retries = try value.int()
            guard (0...10).contains(settings.retries) else { throw value.error("must be between 0 and 10") }
        }
        return settings
    }

    /// One mailbox (`a@example.com` or `Name <a@example.com>`) at a YAML value.
    static func mailbox(_ node: YAMLValue) throws -> Mailbox {
        switch Mailbox.parse(try node.string()) {
        case .success(let mailbox): return mailbox
        case .failure(let problem): throw node.error(problem.reason)
        }
    }

    /// One mailbox or a list of them (`cc: a@x.com` or `cc: [a@x.com, b@x.com]`).
    static func mailboxes(_ node: YAMLValue) throws -> [Mailbox] {
        if case .sequence = node.node { return try node.items().map(mailbox) }
        return [try mailbox(node)]
    }
}
