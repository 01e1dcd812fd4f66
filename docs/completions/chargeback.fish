function __chargeback_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __chargeback_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __chargeback_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __chargeback_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __chargeback_parse_tokens -S
    set -l unparsed_tokens (__chargeback_tokens -pc)
    switch $unparsed_tokens[1]
    case 'chargeback'
        __chargeback_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'report'
            __chargeback_parse_subcommand 0 'c/config=' 'period=' 'from=' 'to=' 'timezone=' 'as-of=' 'format=' 'split-by=' 'granularity=' 'o/output=' 'template=' 'prometheus-url=' 'invoice=+' 'basis=' 'no-fetch' 'no-compare' 'trend=' 'group-by=' 'wait-lock' 'mail' 'allow-empty' 'fail-on-breach' 'source=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'mail'
            __chargeback_parse_subcommand 0 'c/config=' 'reports=' 'dry-run' 'resend' 'wait-lock' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'validate'
            __chargeback_parse_subcommand 0 'c/config=' 'online' 'as-of=' 'from=' 'to=' 'prometheus-url=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'prices'
            __chargeback_parse_subcommand 0 'c/config=' 'at=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'import-litellm'
                __chargeback_parse_subcommand 1 'from=' 'match=' 'version' 'h/help'
            end
        case 'init'
            __chargeback_parse_subcommand 1 'force' 'version' 'h/help'
        case 'rules'
            __chargeback_parse_subcommand 0 'c/config=' 'plain' 'at=' 'namespace=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'dashboard'
            __chargeback_parse_subcommand 0 'c/config=' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'collect'
            __chargeback_parse_subcommand 0 'c/config=' 'prometheus-url=' 'from=' 'to=' 'as-of=' 'replace' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
        case 'store'
            __chargeback_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __chargeback_parse_subcommand 0 'c/config=' 'prometheus-url=' 'offline' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
            end
        case 'invoices'
            __chargeback_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'fetch'
                __chargeback_parse_subcommand 0 'c/config=' 'provider=' 'period=' 'from=' 'to=' 'timezone=' 'as-of=' 'o/output=' 'key-file=' 'key-env=' 'url=' 'wait-lock' 'q/quiet' 'v/verbose' 'log-format=' 'version' 'h/help'
            end
        case 'help'
            __chargeback_parse_subcommand -r 1 'version'
        end
    end
end

function __chargeback_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __chargeback_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __chargeback_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __chargeback_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__chargeback_tokens -p)
    if test -z "$(__chargeback_tokens -t)"
        set -l index (count (__chargeback_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'chargeback' -f
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'report' -d 'Write the chargeback reports for a period.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'mail' -d 'Send each team its pack from a reports folder over SMTP, exactly once.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'validate' -d 'Check that the config, pricing and team files parse and agree with each other.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'prices' -d 'Print the effective price table (USD per million tokens) on a date.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'init' -d 'Write a commented starter chargeback.yaml, pricing.yaml and teams.yaml.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'rules' -d 'Write Prometheus recording rules and the cost alerts, priced from the price book.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'dashboard' -d 'Write a Grafana dashboard (JSON) over the recording rules of `chargeback rules`.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'collect' -d 'Store the exact hourly usage of complete hours, so reports outlive Prometheus\' retention.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'store' -d 'Look into the usage store that `collect` writes.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'invoices' -d 'Fetch provider bills from their cost APIs.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" period' -l 'period' -d 'The period: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" from' -l 'from' -d 'Start of a custom range (inclusive): a date or an RFC 3339 time. Needs --to.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" to' -l 'to' -d 'End of a custom range (exclusive): a date or an RFC 3339 time. Needs --from.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" timezone' -l 'timezone' -d 'IANA time zone for day and month boundaries (default: the config\'s, else UTC).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" as-of' -l 'as-of' -d 'The moment the run treats as now (default: the clock); a period that contains it is a partial report up to it.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" format' -l 'format' -d 'Comma-separated formats to write: markdown, csv, xlsx, focus (FinOps FOCUS 1.2 CSV).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" split-by' -l 'split-by' -d 'Also write a pack per team: teams/<team>/ with the team\'s workbook, Markdown and .eml for its owner.' -rfka 'team'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" granularity' -l 'granularity' -d 'Rows of the usage CSV: one per day or per hour.' -rfka 'day hour'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" o output' -l 'output' -s 'o' -d 'Folder for the reports (created if missing).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" template' -l 'template' -d 'A Mustache template to use instead of the built-in Markdown report.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" prometheus-url' -l 'prometheus-url' -d 'Override prometheus.url from the config.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report"' -l 'invoice' -d 'A provider invoice to reconcile against: FOCUS CSV, Anthropic cost report or OpenAI costs JSON (told by content; repeatable; besides the config\'s invoices:).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" basis' -l 'basis' -d 'What teams pay for: measured usage at the price book\'s prices, or the invoices spread over the usage they cover (default: the config\'s allocation.basis, else measured).' -rfka 'measured invoice'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" no-fetch' -l 'no-fetch' -d 'Do not fetch the bills of the config\'s invoices: sources (re-run a reconciliation offline with --invoice on the pages a run stored in <output>/invoices/).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" no-compare' -l 'no-compare' -d 'Skip the comparison with the previous period (What changed, -changes.csv, the Changes sheet).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" trend' -l 'trend' -d 'Also show the N periods before this one (0 to 24): a Trend section, sheet and -trend.csv.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" group-by' -l 'group-by' -d 'Also break the cost down by these labels: a Markdown table, a workbook sheet and -by-<label>.csv each.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" wait-lock' -l 'wait-lock' -d 'If another run is writing into --output, wait for it instead of exiting with 1.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" mail' -l 'mail' -d 'With --split-by team: send each team its mail over SMTP (the config\'s mail: block), as `chargeback mail` does.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" allow-empty' -l 'allow-empty' -d 'Write the reports even when the token counter has no series at all (otherwise exit 1).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" fail-on-breach' -l 'fail-on-breach' -d 'Exit with 3 when a threshold or budget was breached (the report is still written).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" source' -l 'source' -d 'Where hourly usage comes from: auto (the store\'s hours where it has them, Prometheus for the rest), store or prometheus.' -rfka 'auto store prometheus'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" reports' -l 'reports' -d 'The reports folder (report\'s --output) holding the team packs.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" dry-run' -l 'dry-run' -d 'Print what would be sent to whom (subject, recipients, attachments); send nothing.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" resend' -l 'resend' -d 'Send again even to recipients the ledger says already have the mail.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" wait-lock' -l 'wait-lock' -d 'If another run is using --reports, wait for it instead of exiting with 1.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback mail" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" online' -l 'online' -d 'Also check the label values Prometheus has seen in a window (default: the last 30 days).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" as-of' -l 'as-of' -d 'With --online: look at the 30 days before this time instead of before now.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" from' -l 'from' -d 'Start of a custom range (inclusive): a date or an RFC 3339 time. Needs --to.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" to' -l 'to' -d 'End of a custom range (exclusive): a date or an RFC 3339 time. Needs --from.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" prometheus-url' -l 'prometheus-url' -d 'Override prometheus.url from the config.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" at' -l 'at' -d 'The date (UTC) or RFC 3339 time to show prices for; default now.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback prices" -eq 1' -fa 'import-litellm' -d 'Convert LiteLLM\'s model_prices_and_context_window.json (USD per token) into pricing.yaml.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices import-litellm" from' -l 'from' -d 'The effective date for every price (YYYY-MM-DD; default today, UTC).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices import-litellm" match' -l 'match' -d 'Keep only models matching this glob.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices import-litellm" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback prices import-litellm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback init" force' -l 'force' -d 'Replace existing files.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback init" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback init" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" plain' -l 'plain' -d 'Write a plain Prometheus rule file (for rule_files and promtool) instead of a PrometheusRule.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" at' -l 'at' -d 'The date (UTC) or RFC 3339 time whose prices to use; default now.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" namespace' -l 'namespace' -d 'The namespace of the PrometheusRule (default: monitoring).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback rules" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback dashboard" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" prometheus-url' -l 'prometheus-url' -d 'Override prometheus.url from the config.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" from' -l 'from' -d 'First hour to consider: a date or an RFC 3339 time (default: after the last stored hour).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" to' -l 'to' -d 'End of the hours to consider (exclusive; default: the last complete hour).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" as-of' -l 'as-of' -d 'The moment the run treats as now (default: the clock): no sample after it is read.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" replace' -l 'replace' -d 'Measure the stored hours of --from/--to again; every change is recorded and shown by later reports.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback collect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback store" -eq 1' -fa 'status' -d 'Show what the usage store holds (hours, keys, missing stretches, changes, size) and where Prometheus\' data starts.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" prometheus-url' -l 'prometheus-url' -d 'Override prometheus.url from the config.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" offline' -l 'offline' -d 'Do not ask Prometheus where its data starts.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback store status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_positional "chargeback invoices" -eq 1' -fa 'fetch' -d 'Fetch a provider\'s bill for a period from its cost API and store the raw pages.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" c config' -l 'config' -s 'c' -d 'The chargeback.yaml to read (it names the pricing and team files).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" provider' -l 'provider' -d 'Whose bill: anthropic or openai.' -rfka 'anthropic openai'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" period' -l 'period' -d 'The period: 2026-10 (month), 2026-Q4, 2026-W43 (ISO week), 2026-10-14 (day), last-month, this-month, last-week or yesterday.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" from' -l 'from' -d 'Start of a custom range (inclusive): a date or an RFC 3339 time. Needs --to.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" to' -l 'to' -d 'End of a custom range (exclusive): a date or an RFC 3339 time. Needs --from.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" timezone' -l 'timezone' -d 'IANA time zone for day and month boundaries (default: the config\'s, else UTC).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" as-of' -l 'as-of' -d 'The moment the run treats as now (default: the clock); a period that contains it is a partial report up to it.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" o output' -l 'output' -s 'o' -d 'Folder for the pages (created if missing).' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" key-file' -l 'key-file' -d 'A file holding the admin key, instead of the config\'s invoices: entry.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" key-env' -l 'key-env' -d 'An environment variable holding the admin key, instead of the config\'s invoices: entry.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" url' -l 'url' -d 'The API\'s base URL (a proxy), instead of the entry\'s url: or the provider\'s.' -rfka ''
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" wait-lock' -l 'wait-lock' -d 'If another run is writing into --output, wait for it instead of exiting with 1.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" q quiet' -l 'quiet' -s 'q' -d 'Print nothing on success (errors still go to stderr).'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" v verbose' -l 'verbose' -s 'v' -d 'Log every query and what it fetched (queries, series, points) to stderr.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" log-format' -l 'log-format' -d 'Log line format on stderr: text or json (for log shippers).' -rfka 'text json'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" version' -l 'version' -d 'Show the version.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback invoices fetch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'chargeback' -n '__chargeback_should_offer_completions_for_flags_or_options "chargeback help" version' -l 'version' -d 'Show the version.'
