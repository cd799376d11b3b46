"""The whole half-year cycle driven through the Python client generated from
openapi/openapi.json, unmodified: sign in, create a unit, a finance user and a reporter, open a
period, create an item with indicators, file and submit form 1, finance returns it, the reporter
fixes it with If-Match and resubmits, finance accepts, the report as JSON and XLSX, form.xlsx,
the audit trail.

Usage: python cycle.py BASE_URL ADMIN_PASSWORD (with the generated package on PYTHONPATH).
"""

import datetime
import io
import sys
import zipfile
from http import HTTPStatus

from budget_monitor_client import AuthenticatedClient, Client
from budget_monitor_client.api.audit import list_audit_events
from budget_monitor_client.api.auth import create_token, get_me
from budget_monitor_client.api.indicators import create_indicator, list_indicators
from budget_monitor_client.api.items import create_item
from budget_monitor_client.api.periods import create_period, get_report, get_report_xlsx, open_period
from budget_monitor_client.api.submissions import (
    accept_submission,
    create_submission,
    get_submission,
    get_submission_form,
    list_submission_versions,
    put_submission,
    return_submission,
    submit_submission,
)
from budget_monitor_client.api.units import create_unit
from budget_monitor_client.api.users import create_user
from budget_monitor_client.models import (
    CreateOverallItemRequest,
    CreatePeriodRequest,
    CreateSubmissionRequest,
    CreateUnitRequest,
    CreateUserRequest,
    Direction,
    FundSplit,
    IndicatorRequest,
    IndicatorValue,
    ItemResponse,
    Level1,
    Level2,
    PeriodKind,
    Possibility,
    Report,
    ReturnRequest,
    Role,
    Signatures,
    SubmissionContent,
    SubmissionResponse,
    SubmissionStatus,
    TokenRequest,
    UnitKind,
)
from budget_monitor_client.types import File

BASE, ADMIN_PASSWORD = sys.argv[1], sys.argv[2]
PUBLIC = Client(base_url=BASE, raise_on_unexpected_status=True)


def ok(response, status=HTTPStatus.OK):
    """The parsed answer of a call that must succeed with `status`."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def sign_in(username: str, password: str) -> AuthenticatedClient:
    token = ok(create_token.sync_detailed(client=PUBLIC, body=TokenRequest(username=username, password=password)))
    assert token.token_type == "Bearer" and token.expires_in > 0
    return AuthenticatedClient(base_url=BASE, token=token.access_token, raise_on_unexpected_status=True)


def signatures() -> Signatures:
    return Signatures(unit_head="李明", supervising_leader="王强", date=datetime.date(2026, 7, 8))


def main() -> None:
    admin = sign_in("admin", ADMIN_PASSWORD)
    me = ok(get_me.sync_detailed(client=admin))
    assert me.role == Role.ADMIN, me

    # Admin: a unit, a finance officer and the unit's reporter
    unit = ok(
        create_unit.sync_detailed(
            client=admin,
            body=CreateUnitRequest(code="PYZZB", name="组织部", kind=UnitKind.DEPARTMENT),
            idempotency_key="py-create-unit",
        ),
        HTTPStatus.CREATED,
    )
    ok(
        create_user.sync_detailed(
            client=admin,
            body=CreateUserRequest(username="py.finance", password="finance secret 2026", role=Role.FINANCE),
        ),
        HTTPStatus.CREATED,
    )
    ok(
        create_user.sync_detailed(
            client=admin,
            body=CreateUserRequest(
                username="py.reporter", password="reporter secret 2026", role=Role.REPORTER, unit_id=unit.id
            ),
        ),
        HTTPStatus.CREATED,
    )
    fin = sign_in("py.finance", "finance secret 2026")
    rep = sign_in("py.reporter", "reporter secret 2026")

    # Finance: the period, opened
    period = ok(
        create_period.sync_detailed(
            client=fin,
            body=CreatePeriodRequest(
                year=2026,
                kind=PeriodKind.H1,
                as_of=datetime.date(2026, 6, 30),
                submission_deadline=datetime.date(2026, 7, 10),
                report_deadline=datetime.date(2026, 7, 31),
            ),
        ),
        HTTPStatus.CREATED,
    )
    period = ok(open_period.sync_detailed(period.id, client=fin))
    assert period.status.value == "open"

    # Reporter: the overall item (form 1) with two indicators
    item = ok(
        create_item.sync_detailed(
            client=rep,
            body=CreateOverallItemRequest(
                kind="overall",
                year=2026,
                name="组织部整体支出",
                budget=FundSplit(fiscal="100", union="300"),
                annual_goal="全年培训1000人次",
            ),
        ),
        HTTPStatus.CREATED,
    )
    assert isinstance(item, ItemResponse) and item.form == 1
    trained = ok(
        create_indicator.sync_detailed(
            item.id,
            client=rep,
            body=IndicatorRequest(
                level1=Level1.OUTPUT,
                level2=Level2.QUANTITY,
                name="培训人次",
                measure_unit="人次",
                direction=Direction.HIGHER_BETTER,
                target="1000",
                prorate=True,
            ),
        ),
        HTTPStatus.CREATED,
    )
    satisfied = ok(
        create_indicator.sync_detailed(
            item.id,
            client=rep,
            body=IndicatorRequest(
                level1=Level1.SATISFACTION,
                level2=Level2.SATISFACTION,
                name="学员满意度",
                measure_unit="%",
                direction=Direction.HIGHER_BETTER,
                target="90",
            ),
        ),
        HTTPStatus.CREATED,
    )
    assert len(ok(list_indicators.sync_detailed(item.id, client=rep))) == 2

    # Reporter: file form 1 and submit it — far behind the time: red
    values = [
        IndicatorValue(indicator_id=trained.id, actual="200"),
        IndicatorValue(indicator_id=satisfied.id, actual="92"),
    ]
    form = ok(
        create_submission.sync_detailed(
            client=rep,
            body=CreateSubmissionRequest(
                period_id=period.id,
                item_id=item.id,
                executed=FundSplit(fiscal="10", union="30"),
                indicator_values=values,
                outlook=Possibility.POSSIBLE,
                signatures=signatures(),
            ),
        ),
        HTTPStatus.CREATED,
    )
    submitted = ok(submit_submission.sync_detailed(form.id, client=rep))
    assert isinstance(submitted, SubmissionResponse)
    assert submitted.status == SubmissionStatus.SUBMITTED and submitted.warning.value == "red", submitted
    codes = {r.code.value for r in submitted.reasons}
    assert {"execution_behind_time", "indicator_behind"} <= codes, codes

    # Finance: return it with a reason
    returned = ok(return_submission.sync_detailed(form.id, client=fin, body=ReturnRequest(reason="请补充偏差原因分析")))
    assert returned.status == SubmissionStatus.RETURNED

    # Reporter: read it, fix it with If-Match, submit again
    read = get_submission.sync_detailed(form.id, client=rep)
    etag = read.headers["etag"]
    assert etag == f'"{read.parsed.version}"', etag
    fixed = ok(
        put_submission.sync_detailed(
            form.id,
            client=rep,
            if_match=etag,
            body=SubmissionContent(
                executed=FundSplit(fiscal="10", union="30"),
                indicator_values=values,
                outlook=Possibility.POSSIBLE,
                deviation_analysis="培训中心改造，培训集中安排在下半年",
                corrective_measures="7月起每周加开两期培训",
                signatures=signatures(),
            ),
        )
    )
    assert fixed.deviation_analysis.startswith("培训中心改造")
    stale = put_submission.sync_detailed(
        form.id, client=rep, if_match=etag, body=SubmissionContent(signatures=signatures())
    )
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED and stale.parsed.code.value == "precondition_failed"
    ok(submit_submission.sync_detailed(form.id, client=rep))

    # Finance: accept; every version is kept
    accepted = ok(accept_submission.sync_detailed(form.id, client=fin))
    assert accepted.status == SubmissionStatus.ACCEPTED
    versions = ok(list_submission_versions.sync_detailed(form.id, client=fin))
    assert [v.event.value for v in versions] == ["submitted", "returned", "submitted", "accepted"]

    # The report as JSON and as XLSX, and the form in its official layout
    report = ok(get_report.sync_detailed(period.id, client=fin))
    assert isinstance(report, Report) and report.forms.accepted == 1, report
    assert report.items[0].warning.value == "red"
    for download in (
        ok(get_report_xlsx.sync_detailed(period.id, client=fin)),
        ok(get_submission_form.sync_detailed(form.id, client=rep)),
    ):
        assert isinstance(download, File)
        book = zipfile.ZipFile(io.BytesIO(download.payload.read()))
        assert "xl/workbook.xml" in book.namelist()

    # The audit trail: who did what
    events = ok(list_audit_events.sync_detailed(client=fin, resource_type="submission", per_page=200))
    actions = {e.action for e in events.items}
    assert {"submission.create", "submission.submit", "submission.return", "submission.accept"} <= actions, actions
    print(f"python client: the cycle ran; {events.total} submission events in the audit trail")


if __name__ == "__main__":
    main()
