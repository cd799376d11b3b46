//! The OpenAPI document: collected by utoipa from the registered handlers, then completed into a
//! contract generated clients and fuzzers can rely on (one schema per resource, every problem
//! answer with an example of its own status and code, the response headers, binary downloads).

mod domain_schemas;
mod examples;
mod problems;
mod shapes;
mod webhooks;

use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "budget-monitor",
        description = "Budget performance monitoring (预算绩效运行监控) for trade-union federations.\n\n\
Money is in 万元, written as a JSON string with up to 6 decimals (`\"1234.500000\"`). \
Errors are RFC 9457 `application/problem+json` with a stable `code`. \
Lists take `page` and `per_page` (at most 200) and answer `{items, total, page, per_page}`. \
Creating POSTs accept an `Idempotency-Key` header (a retry gets the first answer again: status, body, `Location`, `ETag`); \
updates require the `ETag` of the last read as `If-Match`, and an update that changes nothing (an empty `PATCH`, a form saved again as it is) \
answers 200 with the resource as it is: the same version, no audit or feed event. \
A write that takes no body (submit, accept, open, close, publish, the deletes, …) takes none or `{}`. \
Every response carries the server's own id of the request as `X-Request-Id` (a new UUID per request); an `X-Request-Id` the client sends is kept apart as `client_request_id` in audit events and logs.\n\n\
Input is read strictly. A body is exactly one JSON value: anything after it is `malformed_json` (400). \
Dates are exactly `YYYY-MM-DD` (`2026-06-30`; not `2026-6-30`, `+2026-06-30` or `2026-06-30 `), else 422. \
Every text, in any field of any body and in any query parameter, refuses control characters other than \
tab, CR and LF: 422 `validation_failed` with the field named and code `control_character`, nothing stored; \
usernames are letters, digits, `.`, `_` and `-`. An operation takes only the query parameters it lists: \
any other is 400 `invalid_query_parameter`, named in `errors` with code `unknown_parameter`.\n\n\
One amount has at most 12 integer digits; sums (report totals, a form's total) are exact with as many \
digits as they need (`MoneyTotal`). When the database is unreachable (connection lost, server restarting, \
too many connections, SQLite file locked by another program), requests answer 503 `database_unavailable` \
with `Retry-After` (seconds) and change nothing; retry them.\n\n\
Sign-in is throttled in fixed 15-minute windows (starting at :00, :15, :30, :45): once 5 attempts for one \
username from one client address, or 20 from one address across usernames, have failed in the window, \
further attempts from that address get 429 `login_throttled` with `Retry-After` (seconds until the window \
ends); other addresses still sign in. The client address is the connection's peer or, behind a reverse \
proxy the server is configured to trust, the right-most address of `Forwarded` (`for=`) or \
`X-Forwarded-For` that is not itself a trusted proxy. Denied requests are audited with outcome `denied`: \
a 401 for a token that was issued by this service but is refused (`auth.token_refused`: expired, unknown \
or deactivated user), a 403 for the caller's role (`access.forbidden`) and the 404 a reporter gets for \
another unit's object (`access.other_unit`); at most 5 such events per caller and client address per \
window are written, the rest are counted only.",
        license(name = "MIT", identifier = "MIT"),
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    components(schemas(
        crate::error::Problem,
        crate::error::ErrorCode,
        crate::domain::FieldError,
        crate::http::reports::ReportFormat,
        crate::report::ItemSort
    )),
    tags(
        (name = "auth", description = "Sign in and who am I"),
        (name = "users", description = "User accounts (admin only)"),
        (name = "clients", description = "API clients: machine accounts that get tokens with OAuth 2.0 client credentials (admin only)"),
        (name = "units", description = "Reporting units (填报单位)"),
        (name = "periods", description = "Monitoring periods (监控期), deadlines, completeness and the monitoring report"),
        (name = "items", description = "Monitored items: overall budgets, special funds, projects"),
        (name = "indicators", description = "The three-level indicator tree of an item"),
        (name = "submissions", description = "Forms 1–3 and their review workflow"),
        (name = "corrective-actions", description = "纠偏措施 and rectification orders (Art. 11, 12)"),
        (name = "adjustment-requests", description = "Budget and target adjustments for objective causes (Art. 13)"),
        (name = "measures", description = "Finance measures: payments, adjustments, rectification, budget references (Art. 12, 14)"),
        (name = "audit", description = "The append-only audit trail"),
        (name = "events", description = "The change feed: every committed change to the workflow as a CloudEvents event, in order"),
        (name = "webhooks", description = "Webhooks: the change feed pushed to registered endpoints, signed the Standard Webhooks way (admin only)"),
                (name = "operations", description = "Health and readiness"),
        (name = "metrics", description = "Prometheus metrics, for the operator's monitoring")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A token from POST /api/v1/auth/token. When single sign-on is configured \
                         (BM_OIDC_ISSUER, BM_OIDC_AUDIENCE), a token of that OpenID Connect \
                         provider (RS256 or ES256, for this service's audience) is accepted too: \
                         it signs in the local user its username claim names, with that user's \
                         role and unit.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token set in BM_METRICS_TOKEN, when one is set (then required).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The operations as utoipa collects them from the handlers registered under `/api/v1` and
/// the health checks (no server or database needed). The route table is built from it.
pub fn openapi() -> OpenApiDoc {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope("/api/v1").configure(super::configure))
        .configure(super::health::configure)
        .configure(super::metrics::configure)
        .split_for_parts();
    doc
}

/// The complete OpenAPI document, as served at `/openapi.json` and committed.
pub fn document() -> Value {
    let mut routes = openapi();
    super::text_schema::TextRule.modify(&mut routes);
    let mut doc = serde_json::to_value(routes).expect("the spec serializes");
    shapes::apply(&mut doc);
    problems::apply(&mut doc);
    shapes::headers(&mut doc);
    examples::fill(&mut doc);
    shapes::examples(&mut doc);
    shapes::prune(&mut doc);
    webhooks::apply(&mut doc);
    doc
}

/// The document as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut s = serde_json::to_string_pretty(&document()).expect("the spec serializes");
    s.push('\n');
    s
}

/// The component schema `name`, if there is one.
fn schema<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    doc.pointer(&format!("/components/schemas/{name}"))
}

/// The name of the component schema a `$ref` points to.
fn ref_name(v: &Value) -> Option<&str> {
    v.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// A `$ref` to the component schema `name`.
fn schema_ref(name: &str) -> Value {
    serde_json::json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Every operation of the document: path, method, operation.
fn operations_mut(doc: &mut Value) -> impl Iterator<Item = (String, String, &mut Value)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .flat_map(|(path, item)| {
            item.as_object_mut()
                .into_iter()
                .flat_map(|ops| ops.iter_mut())
                .map(move |(method, op)| (path.clone(), method.clone(), op))
        })
}
