#!/usr/bin/env bash
# Following through (Art. 11–14): a mid-term evaluation finds a special fund behind; the unit
# takes a corrective action that finance verifies, asks for an adjustment for a policy change
# that finance approves; finance suspends payment on a project and lifts it again, notes the
# fund for next year's budget, and the project is carried into its next year. Run it against
# a server on an empty database:
#   BM_ADMIN_PASSWORD='the admin password' examples/follow-through.sh
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
  -d '{"code":"QYBZB","name":"权益保障部","kind":"department"}' | jq -r .id)
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"username":"cwb.zhao","password":"finance secret 2026","role":"finance"}' >/dev/null
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$UNIT" '{username: "qybzb.chen", password: "reporter secret 2026", role: "reporter", unit_id: $u}')" >/dev/null
FIN=$(token cwb.zhao 'finance secret 2026')
REP=$(token qybzb.chen 'reporter secret 2026')

# Finance: a mid-term evaluation (interim period, Art. 4) as of September 30, opened
PERIOD=$(api -X POST "$BM/api/v1/periods" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d '{"year":2026,"kind":"interim","as_of":"2026-09-30","submission_deadline":"2026-10-10","report_deadline":"2026-10-31"}' | jq -r .id)
api -X POST "$BM/api/v1/periods/$PERIOD/open" -H "Authorization: Bearer $FIN" >/dev/null

# Reporter: a special fund (form 2; a special fund names its funding source) with its
# indicator, and a two-year project
ITEM=$(api -X POST "$BM/api/v1/items" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"year":2026,"kind":"special_fund","name":"困难职工帮扶资金","budget":{"fiscal":"300","union":"120"},
       "annual_goal":"全年帮扶困难职工1200人次","funding_source":"fiscal_allocation"}' | jq -r .id)
IND=$(api -X POST "$BM/api/v1/items/$ITEM/indicators" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"level1":"output","level2":"quantity","name":"帮扶困难职工人次","measure_unit":"人次","direction":"higher_better","target":"1200","prorate":true}' | jq -r .id)
PROJECT=$(api -X POST "$BM/api/v1/items" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"year":2026,"kind":"project","name":"职工服务中心维修改造工程","budget":{"fiscal":"500","union":"0"},
       "annual_goal":"完成主体结构改造","start_year":2026,"end_year":2027}' | jq -r .id)

# Reporter: the fund's form — 80 of 420 万元 spent and 300 people helped by September 30: red
FORM=$(api -X POST "$BM/api/v1/submissions" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg p "$PERIOD" --arg i "$ITEM" --arg ind "$IND" '{
        period_id: $p, item_id: $i, executed: {fiscal: "60", union: "20"},
        indicator_values: [{indicator_id: $ind, actual: "300"}], outlook: "possible",
        signatures: {unit_head: "陈红", supervising_leader: "王强", date: "2026-10-09"}}')" | jq -r .id)
api -X POST "$BM/api/v1/submissions/$FORM/submit" -H "Authorization: Bearer $REP" \
  | jq '{warning, reasons: [.reasons[] | {code, value, threshold}]}'

# Reporter: a corrective action for the red form and its indicator; progress, then done
ACTION=$(api -X POST "$BM/api/v1/corrective-actions" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg s "$FORM" --arg ind "$IND" '{submission_id: $s, indicator_id: $ind, lens: "timeliness",
        cause: "帮扶对象摸底延误", measure: "10月起每周集中审核帮扶申请", owner: "权益保障部 陈红", due_date: "2026-12-15"}')" | jq -r .id)
api -X POST "$BM/api/v1/corrective-actions/$ACTION/progress" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"note":"已完成两轮集中审核"}' | jq '{status}'
api -X POST "$BM/api/v1/corrective-actions/$ACTION/complete" -H "Authorization: Bearer $REP" | jq '{status}'
# Finance: verify it (or reopen it with a note); list what is overdue
api -X POST "$BM/api/v1/corrective-actions/$ACTION/verify" -H "Authorization: Bearer $FIN" | jq '{status}'
api "$BM/api/v1/corrective-actions?overdue=true" -H "Authorization: Bearer $FIN" | jq '{total}'

# Reporter: a policy change makes the target unreachable — propose a new budget and target
ADJ=$(api -X POST "$BM/api/v1/adjustment-requests" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg i "$ITEM" --arg ind "$IND" '{item_id: $i, cause: "policy_change",
        explanation: "上级调整帮扶标准", countermeasures: "提高单人帮扶额度",
        new_budget: {fiscal: "240", union: "120"}, new_targets: [{indicator_id: $ind, target: "800"}]}')" | jq -r .id)
# Finance: approve — budget and target change together; the originals stay readable
api -X POST "$BM/api/v1/adjustment-requests/$ADJ/approve" -H "Authorization: Bearer $FIN" | jq '{status}'
api "$BM/api/v1/items/$ITEM" -H "Authorization: Bearer $FIN" | jq '{budget, original_budget}'
api "$BM/api/v1/items/$ITEM/history" -H "Authorization: Bearer $FIN" | jq '.[] | {field, before, after}'

# Finance: suspend payment on the project (Art. 14), then lift it
M=$(api -X POST "$BM/api/v1/measures" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg i "$PROJECT" --arg p "$PERIOD" '{item_id: $i, kind: "suspend_payment", reason: "施工进度严重滞后", period_id: $p}')" | jq -r .id)
api "$BM/api/v1/items/$PROJECT" -H "Authorization: Bearer $FIN" | jq '{payment_status, active_measures: [.active_measures[].kind]}'
api -X POST "$BM/api/v1/measures/$M/lift" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d '{"reason":"已整改到位"}' | jq '{kind, lifted_at}'

# Finance: note the fund for next year's budget (Art. 12)
api -X POST "$BM/api/v1/measures" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg i "$ITEM" '{item_id: $i, kind: "budget_reference", reason: "执行偏慢，下年度预算按实际需求核减"}')" >/dev/null
api "$BM/api/v1/measures?year=2026&kind=budget_reference" -H "Authorization: Bearer $FIN" | jq '.items[] | {reason}'

# Next year: the project's 2027 item, copied with its goals and indicators; its whole life
NEXT=$(api -X POST "$BM/api/v1/items/$PROJECT/copy" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"year":2027}' | jq -r .id)
api "$BM/api/v1/items/$NEXT/lifecycle" -H "Authorization: Bearer $FIN" | jq '.[] | {year, budget}'
