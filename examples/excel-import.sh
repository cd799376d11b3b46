#!/usr/bin/env bash
# Working in Excel: a department downloads the official form of its special fund as a template,
# fills it in offline, checks it with a dry run and imports it; later it imports a new version
# of the draft with If-Match. Run it against a server on an empty database:
#   BM_ADMIN_PASSWORD='the admin password' examples/excel-import.sh
# With FILLED=/path/to/filled.xlsx it imports that workbook (the template, filled in Excel);
# without, it imports the template as downloaded, which starts an empty draft.
set -euo pipefail
BM=${BM:-http://127.0.0.1:8080}
: "${BM_ADMIN_PASSWORD:?set BM_ADMIN_PASSWORD to the admin password}"
XLSX=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

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
  -d '{"code":"JJGZB","name":"经济工作部","kind":"department"}' | jq -r .id)
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"username":"cwb.sun","password":"finance secret 2027","role":"finance"}' >/dev/null
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$UNIT" '{username: "jjgzb.zhou", password: "reporter secret 2027", role: "reporter", unit_id: $u}')" >/dev/null
FIN=$(token cwb.sun 'finance secret 2027')
REP=$(token jjgzb.zhou 'reporter secret 2027')

# Finance opens the 2027 H1 period; the reporter records the special fund and its indicators
PERIOD=$(api -X POST "$BM/api/v1/periods" -H "Authorization: Bearer $FIN" -H 'Content-Type: application/json' \
  -d '{"year":2027,"kind":"h1","as_of":"2027-06-30","submission_deadline":"2027-07-10","report_deadline":"2027-07-31"}' | jq -r .id)
api -X POST "$BM/api/v1/periods/$PERIOD/open" -H "Authorization: Bearer $FIN" >/dev/null
ITEM=$(api -X POST "$BM/api/v1/items" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"year":2027,"kind":"special_fund","name":"劳模补助金及体检费","budget":{"fiscal":"80","union":"20"},
       "annual_goal":"全年慰问劳模300人次","funding_source":"fiscal_allocation"}' | jq -r .id)
api -X POST "$BM/api/v1/items/$ITEM/indicators" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"level1":"output","level2":"quantity","name":"慰问劳模人次","measure_unit":"人次","direction":"higher_better","target":"300","prorate":true}' >/dev/null
api -X POST "$BM/api/v1/items/$ITEM/indicators" -H "Authorization: Bearer $REP" -H 'Content-Type: application/json' \
  -d '{"level1":"satisfaction","level2":"satisfaction","name":"劳模满意程度","direction":"qualitative","target":"满意"}' >/dev/null

# The template: form 2 pre-filled with the fund, its budget and indicators; the light yellow
# cells are to fill, the rest is locked; a second sheet 补充信息 holds the rest of the form
api "$BM/api/v1/items/$ITEM/form-template.xlsx?period_id=$PERIOD" -H "Authorization: Bearer $REP" -o form.xlsx
FILLED=${FILLED:-form.xlsx}

# Dry run (the default): the form it would create, its figures and every problem by cell
api -X POST "$BM/api/v1/submissions/import" -H "Authorization: Bearer $REP" -F "file=@$FILLED" \
  | jq '{action, valid, problems, executed: .form.executed, warning: .figures.warning}'

# Import for real: the draft is created (a retry with the same Idempotency-Key creates nothing)
FORM=$(api -X POST "$BM/api/v1/submissions/import?dry_run=false" -H "Authorization: Bearer $REP" \
  -H 'Idempotency-Key: import-jjgzb-2027h1' -F "file=@$FILLED" | jq -r .id)
api "$BM/api/v1/submissions/$FORM" -H "Authorization: Bearer $REP" | jq '{status, executed, indicator_values}'

# A new version later: the template comes pre-filled with the draft; importing it over the
# draft needs the draft's ETag as If-Match (the raw workbook as the body works too)
ETAG=$(api -D - -o /dev/null "$BM/api/v1/submissions/$FORM" -H "Authorization: Bearer $REP" \
  | tr -d '\r' | sed -n 's/^etag: //Ip')
api "$BM/api/v1/items/$ITEM/form-template.xlsx?period_id=$PERIOD" -H "Authorization: Bearer $REP" -o form-v2.xlsx
api -X POST "$BM/api/v1/submissions/import?dry_run=false" -H "Authorization: Bearer $REP" \
  -H "If-Match: $ETAG" -H "Content-Type: $XLSX" --data-binary @form-v2.xlsx | jq '{status, version}'

# Anything but an XLSX workbook is refused with a problem saying why (here 415 not_xlsx)
api -X POST "$BM/api/v1/submissions/import" -H "Authorization: Bearer $REP" \
  -H "Content-Type: $XLSX" --data-binary 'not a workbook' || true
ls -l form.xlsx form-v2.xlsx
