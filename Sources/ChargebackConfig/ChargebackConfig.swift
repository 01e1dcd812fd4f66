import ChargebackModel
import Foundation

/// How to reach the Prometheus HTTP API. Secrets are held as *where to read them*, never as values.
public struct PrometheusSettings: Sendable, Equatable {
    /// Base URL including any path prefix (Mimir's `/prometheus`), without credentials.
    public var url: URL
    public var headers: [String: String]
    public var auth: Auth
    public var tls: TLSSettings
    /// Per-request timeout in seconds.
    public var timeout: Double
    /// Extra attempts after the first on connection errors, 429 and 5xx.
    public var retries: Int
    /// Accept Thanos partial responses instead of failing.
    public var allowPartialResponse: Bool
    /// Length of one raw-sample query window, seconds.
    public var chunkSeconds: Int
    /// Queries in flight at once.
    public var concurrency: Int
    /// How counters are read: hourly summaries plus raw samples where needed, or raw samples only.
    public var plan: FetchPlan = .summaries
    /// The config file's `url` when `--prometheus-url` replaced it with another for this run.
    public var configuredURL: URL?

    public enum Auth: Sendable, Equatable {
        case none
        case bearer(SecretSource)
        case basic(username: String, password: SecretSource)
    }

    public init(
        url: URL, headers: [String: String] = [:], auth: Auth = .none, tls: TLSSettings = .init(),
        timeout: Double = 60, retries: Int = 4, allowPartialResponse: Bool = false,
        chunkSeconds: Int = 6 * 3600, concurrency: Int = 4
    ) {
        self.url = url
        self.headers = headers
        self.auth = auth
        self.tls = tls
        self.timeout = timeout
        self.retries = retries
        self.allowPartialResponse = allowPartialResponse
        self.chunkSeconds = chunkSeconds
        self.concurrency = concurrency
    }
}

/// Where a secret is read from at run time.
public enum SecretSource: Sendable, Equatable {
    case file(String)
    case environment(String)
}

/// TLS files for the Prometheus connection.
public struct TLSSettings: Sendable, Equatable {
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var insecureSkipVerify: Bool
    public init(
        caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false
    ) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }
}

/// Everything `chargeback.yaml` and the files it names say, checked against each other.
public struct ChargebackConfig: Sendable, Equatable {
    public var prometheus: PrometheusSettings
    public var metrics: MetricSettings
    public var pricing: PriceBook
    public var teams: TeamBook
    public var timeZone: TimeZone
    public var thresholds: Thresholds
    /// Minimum gap length that is reported and apportioned, as a multiple of the series' scrape interval.
    public var gapFactor: Double
    /// The three input files, in the order config, pricing, teams.
    public var files: [InputFileRecord]
    /// The `mail:` block: sender and SMTP server for the team mails; `nil` when absent.
    public var mail: MailSettings?
    /// `currency:` and `exchange_rates:`: what the reports are kept in.
    public var currency = CurrencySettings()
    /// Invoices, reconciliation tolerance and allocation basis.
    public var billing = BillingSettings()
    /// The `store:` block: where hourly usage is kept beyond Prometheus' retention; `nil` when absent.
    public var store: StoreSettings?
    /// Labels to break the cost down by (`report --group-by`), beyond the team rules' labels.
    public var groupBy: [String] = []
    /// `identities:`: whether identity values leave as keyed pseudonyms.
    public var identities = IdentitySettings()
    /// `attribution:`: agentgateway's request log splits the counted tokens among identities.
    public var attribution: AttributionSettings?

    public init(
        prometheus: PrometheusSettings, metrics: MetricSettings, pricing: PriceBook, teams: TeamBook,
        timeZone: TimeZone, thresholds: Thresholds, gapFactor: Double, files: [InputFileRecord],
        mail: MailSettings? = nil, store: StoreSettings? = nil
    ) {
        self.prometheus = prometheus
        self.metrics = metrics
        self.pricing = pricing
        self.teams = teams
        self.timeZone = timeZone
        self.thresholds = thresholds
        self.gapFactor = gapFactor
        self.files = files
        self.mail = mail
        self.store = store
    }
}

extension ChargebackConfig {
    /// Label keys beyond the four logical dimensions that team rules, the directory, cache rules or prices look at,
    /// then the `--group-by` labels: the one list every stage keys usage by (``UsageKey/extras``).
    /// The label of the request log's identities (``attribution``) is not a series' label: it is
    /// left out here and appended by ``costDimensions``.
    public var extraLabelKeys: [String] {
        let directoryLabel = teams.directory.map { [$0.label] }?.filter { !Self.logicalLabels.contains($0) } ?? []
        let keyed = Set(
            teams.extraLabelKeys + metrics.inputIncludesCache.extraLabelKeys + pricing.extraLabelKeys + directoryLabel
        ).subtracting(attribution.map { [$0.label] } ?? []).sorted()
        return keyed
            + groupBy.filter { !keyed.contains($0) && !Self.logicalLabels.contains($0) && $0 != attribution?.label }
    }

    /// How series labels become usage keys under this configuration: what the fetch, the usage
    /// store and `validate --online` key by.
    public var dimensions: UsageDimensions {
        UsageDimensions(labels: metrics.labels, extraLabels: extraLabelKeys, dedupeLabels: metrics.dedupeLabels)
    }

    /// What pricing, allocation and the report key usage by: ``dimensions``, and with
    /// `attribution:` the identity of agentgateway's request log as the last extra label
    /// (``Attribution``).
    public var costDimensions: UsageDimensions {
        guard let attribution else { return dimensions }
        return UsageDimensions(
            labels: metrics.labels, extraLabels: extraLabelKeys + [attribution.label],
            dedupeLabels: metrics.dedupeLabels)
    }

    /// The path of the input file with `role` (`config`, `pricing`, `teams`) as the config named
    /// it, for messages; `<role>.yaml` when there is none.
    public func filePath(role: String) -> String {
        files.first { $0.role == role }?.path ?? "\(role).yaml"
    }
}
