#compdef chargeback

__chargeback_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__chargeback_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __chargeback_complete "${completions[@]:0:-1}"
    fi
}

__chargeback_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_chargeback() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'report:Write the chargeback reports for a period.'
            'mail:Send each team its pack from a reports folder over SMTP, exactly once.'
            'validate:Check that the config, pricing and team files parse and agree with each other.'
            'prices:Print the effective price table (USD per million tokens) on a date.'
            'init:Write a commented starter chargeback.yaml, pricing.yaml and teams.yaml.'
            'rules:Write Prometheus recording rules and the cost alerts, priced from the price book.'
            'dashboard:Write a Grafana dashboard (JSON) over the recording rules of `chargeback rules`.'
            'collect:Store the exact hourly usage of complete hours, so reports outlive Prometheus'\'' retention.'
            'store:Look into the usage store that `collect` writes.'
            'invoices:Fetch provider bills from their cost APIs.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        report|mail|validate|prices|init|rules|dashboard|collect|store|invoices|help)
            "_chargeback_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_chargeback_report() {
    local -i ret=1
    local -ar ___split_by=('team')
    local -ar ___granularity=('day' 'hour')
    local -ar ___basis=('measured' 'invoice')
    local -ar ___source=('auto' 'store' 'prometheus')
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--period[The period\: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.]:period:'
        '--from[Start of a custom range (inclusive)\: a date or an RFC 3339 time. Needs --to.]:time:'
        '--to[End of a custom range (exclusive)\: a date or an RFC 3339 time. Needs --from.]:time:'
        '--timezone[IANA time zone for day and month boundaries (default\: the config'\''s, else UTC).]:zone:'
        '--as-of[The moment the run treats as now (default\: the clock); a period that contains it is a partial report up to it.]:time:'
        '--format[Comma-separated formats to write\: markdown, csv, xlsx, focus (FinOps FOCUS 1.2 CSV).]:list:'
        '--split-by[Also write a pack per team\: teams/<team>/ with the team'\''s workbook, Markdown and .eml for its owner.]:kind:{__chargeback_complete "${___split_by[@]}"}'
        '--granularity[Rows of the usage CSV\: one per day or per hour.]:day|hour:{__chargeback_complete "${___granularity[@]}"}'
        '(--output -o)'{--output,-o}'[Folder for the reports (created if missing).]:dir:'
        '--template[A Mustache template to use instead of the built-in Markdown report.]:file:'
        '--prometheus-url[Override prometheus.url from the config.]:url:'
        '*--invoice[A provider invoice to reconcile against\: FOCUS CSV, Anthropic cost report or OpenAI costs JSON (told by content; repeatable; besides the config'\''s invoices\:).]:file:'
        '--basis[What teams pay for\: measured usage at the price book'\''s prices, or the invoices spread over the usage they cover (default\: the config'\''s allocation.basis, else measured).]:measured|invoice:{__chargeback_complete "${___basis[@]}"}'
        '--no-fetch[Do not fetch the bills of the config'\''s invoices\: sources (re-run a reconciliation offline with --invoice on the pages a run stored in <output>/invoices/).]'
        '--no-compare[Skip the comparison with the previous period (What changed, -changes.csv, the Changes sheet).]'
        '--trend[Also show the N periods before this one (0 to 24)\: a Trend section, sheet and -trend.csv.]:N:'
        '--group-by[Also break the cost down by these labels\: a Markdown table, a workbook sheet and -by-<label>.csv each.]:labels:'
        '--wait-lock[If another run is writing into --output, wait for it instead of exiting with 1.]'
        '--mail[With --split-by team\: send each team its mail over SMTP (the config'\''s mail\: block), as `chargeback mail` does.]'
        '--allow-empty[Write the reports even when the token counter has no series at all (otherwise exit 1).]'
        '--fail-on-breach[Exit with 3 when a threshold or budget was breached (the report is still written).]'
        '--source[Where hourly usage comes from\: auto (the store'\''s hours where it has them, Prometheus for the rest), store or prometheus.]:source:{__chargeback_complete "${___source[@]}"}'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_mail() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--reports[The reports folder (report'\''s --output) holding the team packs.]:dir:'
        '--dry-run[Print what would be sent to whom (subject, recipients, attachments); send nothing.]'
        '--resend[Send again even to recipients the ledger says already have the mail.]'
        '--wait-lock[If another run is using --reports, wait for it instead of exiting with 1.]'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_validate() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--online[Also check the label values Prometheus has seen in a window (default\: the last 30 days).]'
        '--as-of[With --online\: look at the 30 days before this time instead of before now.]:time:'
        '--from[Start of a custom range (inclusive)\: a date or an RFC 3339 time. Needs --to.]:time:'
        '--to[End of a custom range (exclusive)\: a date or an RFC 3339 time. Needs --from.]:time:'
        '--prometheus-url[Override prometheus.url from the config.]:url:'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_prices() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--at[The date (UTC) or RFC 3339 time to show prices for; default now.]:date:'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'import-litellm:Convert LiteLLM'\''s model_prices_and_context_window.json (USD per token) into pricing.yaml.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        import-litellm)
            "_chargeback_prices_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_chargeback_prices_import-litellm() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--from[The effective date for every price (YYYY-MM-DD; default today, UTC).]:date:'
        '--match[Keep only models matching this glob.]:glob:'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_init() {
    local -i ret=1
    local -ar arg_specs=(
        ':dir:'
        '--force[Replace existing files.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_rules() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--plain[Write a plain Prometheus rule file (for rule_files and promtool) instead of a PrometheusRule.]'
        '--at[The date (UTC) or RFC 3339 time whose prices to use; default now.]:date:'
        '--namespace[The namespace of the PrometheusRule (default\: monitoring).]:namespace:'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_dashboard() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_collect() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--prometheus-url[Override prometheus.url from the config.]:url:'
        '--from[First hour to consider\: a date or an RFC 3339 time (default\: after the last stored hour).]:time:'
        '--to[End of the hours to consider (exclusive; default\: the last complete hour).]:time:'
        '--as-of[The moment the run treats as now (default\: the clock)\: no sample after it is read.]:time:'
        '--replace[Measure the stored hours of --from/--to again; every change is recorded and shown by later reports.]'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_store() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'status:Show what the usage store holds (hours, keys, missing stretches, changes, size) and where Prometheus'\'' data starts.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        status)
            "_chargeback_store_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_chargeback_store_status() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--prometheus-url[Override prometheus.url from the config.]:url:'
        '--offline[Do not ask Prometheus where its data starts.]'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_invoices() {
    local -i ret=1
    local -ar arg_specs=(
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'fetch:Fetch a provider'\''s bill for a period from its cost API and store the raw pages.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        fetch)
            "_chargeback_invoices_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_chargeback_invoices_fetch() {
    local -i ret=1
    local -ar ___provider=('anthropic' 'openai')
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '(--config -c)'{--config,-c}'[The chargeback.yaml to read (it names the pricing and team files).]:file:'
        '--provider[Whose bill\: anthropic or openai.]:provider:{__chargeback_complete "${___provider[@]}"}'
        '--period[The period\: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.]:period:'
        '--from[Start of a custom range (inclusive)\: a date or an RFC 3339 time. Needs --to.]:time:'
        '--to[End of a custom range (exclusive)\: a date or an RFC 3339 time. Needs --from.]:time:'
        '--timezone[IANA time zone for day and month boundaries (default\: the config'\''s, else UTC).]:zone:'
        '--as-of[The moment the run treats as now (default\: the clock); a period that contains it is a partial report up to it.]:time:'
        '(--output -o)'{--output,-o}'[Folder for the pages (created if missing).]:dir:'
        '--key-file[A file holding the admin key, instead of the config'\''s invoices\: entry.]:file:'
        '--key-env[An environment variable holding the admin key, instead of the config'\''s invoices\: entry.]:name:'
        '--url[The API'\''s base URL (a proxy), instead of the entry'\''s url\: or the provider'\''s.]:url:'
        '--wait-lock[If another run is writing into --output, wait for it instead of exiting with 1.]'
        '(--quiet -q)'{--quiet,-q}'[Print nothing on success (errors still go to stderr).]'
        '(--verbose -v)'{--verbose,-v}'[Log every query and what it fetched (queries, series, points) to stderr.]'
        '--log-format[Log line format on stderr\: text or json (for log shippers).]:format:{__chargeback_complete "${___log_format[@]}"}'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_chargeback_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _chargeback ]]; then
    _chargeback "${@}"
else
    compdef _chargeback chargeback
fi
