"""Schemathesis hooks: sign in as several identities of the demo data (finance, a reporter, a
viewer and the admin) and send each generated request as the next of them in turn, so that
every list and read answers real objects, as each role sees them.

Reads BM_URL, BM_DEMO_PASSWORD and BM_ADMIN_PASSWORD from the environment.
"""

import itertools
import os

import requests
import schemathesis

BASE = os.environ["BM_URL"]
IDENTITIES = [
    ("finance", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("zzb.reporter", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("viewer", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("admin", os.environ["BM_ADMIN_PASSWORD"]),
]


def sign_in(username: str, password: str) -> str:
    r = requests.post(f"{BASE}/api/v1/auth/token", json={"username": username, "password": password}, timeout=10)
    r.raise_for_status()
    return r.json()["access_token"]


TOKENS = [sign_in(u, p) for u, p in IDENTITIES]
NEXT = itertools.cycle(TOKENS)


def own_user_ids(admin_token: str) -> set[str]:
    """The ids of the accounts the run signs in as."""
    names = {u for u, _ in IDENTITIES}
    ids, page = set(), 1
    while True:
        r = requests.get(
            f"{BASE}/api/v1/users",
            params={"page": page, "per_page": 100},
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=10,
        )
        r.raise_for_status()
        body = r.json()
        ids |= {u["id"] for u in body["items"] if u["username"] in names}
        if page * 100 >= body["total"]:
            return ids
        page += 1


def spare_user(admin_token: str) -> str:
    """An account of its own for the generated account changes to act on."""
    r = requests.post(
        f"{BASE}/api/v1/users",
        json={"username": "schemathesis.spare", "password": "spare-password-2026", "role": "viewer"},
        headers={"Authorization": f"Bearer {admin_token}"},
        timeout=10,
    )
    r.raise_for_status()
    return r.json()["id"]


# A password reset, a role change or a deactivation of an account revokes its tokens, so a
# generated change to one of the accounts signed in above would turn every later request of
# that identity into 401. Such changes are sent to a spare account instead.
OWN_IDS = own_user_ids(TOKENS[-1])
SPARE_ID = spare_user(TOKENS[-1])


@schemathesis.auth(refresh_interval=None)
class Rotating:
    """Each request as the next identity."""

    def get(self, case, context):
        return next(NEXT)

    def set(self, case, data, context):
        if case.path.startswith("/api/v1/users/{id}") and case.method.upper() != "GET":
            if (case.path_parameters or {}).get("id") in OWN_IDS:
                case.path_parameters["id"] = SPARE_ID
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# The form import takes a workbook as the body with the XLSX media type: bytes, sent as they
# are, like application/octet-stream.
schemathesis.serializer.alias(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"
)
