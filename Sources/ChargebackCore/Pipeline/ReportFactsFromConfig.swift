import ChargebackConfig
import ChargebackDeliver
import ChargebackMeasure
import ChargebackModel
import ChargebackNetwork
import ChargebackRender
import Foundation

extension ReportFacts {
    /// The facts of `config` that the files show.
    public init(config: ChargebackConfig) {
        self.init(
            teams: config.teams.teams, labels: config.metrics.labels, tokensMetric: config.metrics.tokens,
            gapFactor: config.gapFactor, fetchPlan: config.prometheus.plan, priceCurrency: config.pricing.currency,
            inputFiles: config.files,
            configuredPrometheusURL: (config.prometheus.configuredURL ?? config.prometheus.url).absoluteString,
            prometheusOverridden: config.prometheus.configuredURL != nil, mailFrom: config.mail?.from,
            mailReplyTo: config.mail?.replyTo, hasPriceAdjustments: !config.pricing.adjustments.isEmpty,
            teamsFile: config.filePath(role: "teams"), dimensions: config.costDimensions, groupBy: config.groupBy)
    }
}

extension Report {
    /// A report whose facts are those of `config`.
    public init(
        toolVersion: String, generatedAt: Date, period: Period, buckets: Buckets, partial: Bool,
        prometheusURL: String, config: ChargebackConfig, lines: [CostLine], allocation: Allocation,
        assessment: Assessment, coverage: Coverage, queries: [QueryRecord], diagnostics: [Diagnostic],
        cacheRules: [CacheRuleUse] = [], adjustments: AdjustmentLedger? = nil,
        invoiceReconciliation: InvoiceReconciliation = .empty, basis: AllocationBasis = .measured,
        conversion: Conversion = .usd, usageSources: [UsageSourceSpan] = [], storeName: String? = nil,
        fetchedInvoices: [FetchedInvoices] = []
    ) {
        self.init(
            toolVersion: toolVersion, generatedAt: generatedAt, period: period, buckets: buckets, partial: partial,
            prometheusURL: prometheusURL, facts: ReportFacts(config: config), lines: lines, allocation: allocation,
            assessment: assessment, coverage: coverage, queries: queries, diagnostics: diagnostics,
            cacheRules: cacheRules, adjustments: adjustments, invoiceReconciliation: invoiceReconciliation,
            basis: basis, conversion: conversion, usageSources: usageSources, storeName: storeName,
            fetchedInvoices: fetchedInvoices)
    }
}
