#!/usr/bin/env bash
# The half-year cycle (Art. 11), from sign-in to the published report: finance opens the
# period, a department files form 1, finance returns it, the department explains and resubmits,
# finance accepts, reads the report and publishes it. Run it against a server on an empty
# database:
#   BM_ADMIN_PASSWORD='the admin password' examples/half-year-cycle.sh
set -euo pipefail
BM=${BM:-http://127.0.0.1:8080}
: "${BM_ADMIN_PASSWORD:?set BM_ADMIN_PASSWORD to the admin password}"

# Every call stops the script at the first error and shows the problem+json body saying why.
api() {
  local out
  if ! out=$(curl --fail-with-body --silent --show-error "$@"); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
}
token() {
  api -X POST "$BM/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "$(jq -n --arg u "$1" --arg p "$2" '{username: $u, password: $p}')" | jq -r .access_token
}

# Admin: the department, a finance officer and the department's reporter
ADMIN=$(token admin "$BM_ADMIN_PASSWORD")
UNIT=$(api -X POST "$BM/api/v1/units" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"code":"ZZB","name":"组织部","kind":"department"}' | jq -r .id)
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"username":"cwb.wang","password":"finance secret 2026","role":"finance"}' >/dev/null
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$UNIT" '{username: "zzb.li", password: "reporter secret 2026", role: "reporter", unit_id: $u}')" >/dev/null
FIN=$(token cwb.wang 'finance secret 2026')
REP=$(token zzb.li 'reporter secret 2026')

# Finance: the 2026 H1 period, due July 10, report by July 31 — then open it
PERIOD=$(api -X POST "$BM/api/v1/periods" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d '{"year":2026,"kind":"h1","as_of":"2026-06-30","submission_deadline":"2026-07-10","report_deadline":"2026-07-31"}' | jq -r .id)
api -X POST "$BM/api/v1/periods/$PERIOD/open" -H "Authorization: Bearer $FIN" | jq '{name, status}'

# Reporter: the unit's overall item (form 1) and its indicator
ITEM=$(api -X POST "$BM/api/v1/items" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"year":2026,"kind":"overall","name":"组织部整体支出","budget":{"fiscal":"100","union":"300"},"annual_goal":"全年培训1000人次"}' | jq -r .id)
IND=$(api -X POST "$BM/api/v1/items/$ITEM/indicators" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"level1":"output","level2":"quantity","name":"培训人次","measure_unit":"人次","direction":"higher_better","target":"1000","prorate":true}' | jq -r .id)

# Reporter: file form 1 and submit it. By June 30 (half the year) only 40 of 400 万元 are spent
# and 200 of 1000 people trained: the form comes out red, and its reasons say why.
FORM=$(api -X POST "$BM/api/v1/submissions" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg p "$PERIOD" --arg i "$ITEM" --arg ind "$IND" '{
        period_id: $p, item_id: $i, executed: {fiscal: "10", union: "30"},
        indicator_values: [{indicator_id: $ind, actual: "200"}], outlook: "possible",
        signatures: {unit_head: "李明", supervising_leader: "王强", date: "2026-07-08"}}')" | jq -r .id)
api -X POST "$BM/api/v1/submissions/$FORM/submit" -H "Authorization: Bearer $REP" \
  | jq '{status, time_progress, execution_rate, budget_light, goal_light, warning,
         reasons: [.reasons[] | {code, light, value, threshold}]}'

# Finance: return it with a reason
api -X POST "$BM/api/v1/submissions/$FORM/return" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d '{"reason":"执行进度严重滞后，请补充偏差原因分析和纠偏措施"}' | jq '{status}'

# Reporter: read it (note the ETag), add the analysis with If-Match, submit again.
# The figures stay red — they are the facts — but now the form explains them.
ETAG=$(api -D - -o /dev/null "$BM/api/v1/submissions/$FORM" -H "Authorization: Bearer $REP" \
  | tr -d '\r' | sed -n 's/^etag: //Ip')
api -X PUT "$BM/api/v1/submissions/$FORM" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' -H "If-Match: $ETAG" \
  -d "$(jq -n --arg ind "$IND" '{
        executed: {fiscal: "10", union: "30"},
        indicator_values: [{indicator_id: $ind, actual: "200", possibility: "possible", deviation_reasons: ["facilities"]}],
        outlook: "possible", deviation_analysis: "培训中心改造，培训集中安排在下半年",
        root_causes: ["insufficient_preparation"], corrective_measures: "7月起每周加开两期培训",
        signatures: {unit_head: "李明", supervising_leader: "王强", date: "2026-07-08"}}')" | jq '{status, version}'
api -X POST "$BM/api/v1/submissions/$FORM/submit" -H "Authorization: Bearer $REP" | jq '{status, warning}'

# Finance: accept; every step is kept
api -X POST "$BM/api/v1/submissions/$FORM/accept" -H "Authorization: Bearer $FIN" | jq '{status}'
api "$BM/api/v1/submissions/$FORM/versions" -H "Authorization: Bearer $FIN" \
  | jq '.[] | {number, event, reason, actor_username, created_at}'

# Finance: which required forms are still missing or late
api "$BM/api/v1/periods/$PERIOD/completeness" -H "Authorization: Bearer $FIN" | jq .

# The monitoring report: JSON (totals, counts, one row per unit and per item), red items first
api "$BM/api/v1/periods/$PERIOD/report?sort=warning" -H "Authorization: Bearer $FIN" \
  | jq '{time_progress, forms, executed, execution_rate, budget_light, warnings,
         items: [.items[] | {unit_name, item_name, warning, reasons: [.reasons[].code]}]}'
# The item rows as CSV (UTF-8 with a BOM, for Excel) and the whole report as XLSX
api "$BM/api/v1/periods/$PERIOD/report.csv" -H "Authorization: Bearer $FIN" -o report.csv
api "$BM/api/v1/periods/$PERIOD/report.xlsx" -H "Authorization: Bearer $FIN" -o report.xlsx
# The 绩效监控报告 for the leadership: a Word draft in Chinese for finance to edit
api "$BM/api/v1/periods/$PERIOD/report.docx" -H "Authorization: Bearer $FIN" -o report.docx

# Close and publish: the report is frozen and reads back the same in every format
api -X POST "$BM/api/v1/periods/$PERIOD/close" -H "Authorization: Bearer $FIN" | jq '{status}'
api -X POST "$BM/api/v1/periods/$PERIOD/publish" -H "Authorization: Bearer $FIN" | jq '{status}'

# The form in the layout of attachment 1, on one A4 page, for printing and signing
api "$BM/api/v1/submissions/$FORM/form.xlsx" -H "Authorization: Bearer $REP" -o form1.xlsx
ls -l report.csv report.xlsx report.docx form1.xlsx
