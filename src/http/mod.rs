//! The HTTP API: one module per resource, each with its request/response types, handlers and
//! `configure()`; the OpenAPI document is collected from the same registration.

pub mod adjustments;
pub mod audit;
pub mod auth;
pub mod changes;
pub mod corrective_actions;
pub mod extract;
pub mod fallback;
pub mod health;
pub mod idempotency;
pub mod indicators;
pub mod item_life;
pub mod items;
pub mod json_text;
pub mod measures;
pub mod periods;
pub mod reports;
pub mod request_id;
pub mod strict_query;
pub mod submissions;
pub mod text_schema;
pub mod units;
pub mod users;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};

pub use idempotency::Idempotent;

/// Everything under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(auth::configure)
        .configure(users::configure)
        .configure(units::configure)
        .configure(periods::configure)
        .configure(items::configure)
        .configure(indicators::configure)
        .configure(submissions::configure)
        .configure(reports::configure)
        .configure(item_life::configure)
        .configure(corrective_actions::configure)
        .configure(adjustments::configure)
        .configure(measures::configure)
        .configure(audit::configure);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "budget-monitor",
        description = "Budget performance monitoring (预算绩效运行监控) for trade-union federations.\n\n\
Money is in 万元, written as a JSON string with up to 6 decimals (`\"1234.500000\"`). \
Errors are RFC 9457 `application/problem+json` with a stable `code`. \
Lists take `page` and `per_page` (at most 200) and answer `{items, total, page, per_page}`. \
Creating POSTs accept an `Idempotency-Key` header; updates require the `ETag` of the last read as `If-Match`.\n\n\
Input is read strictly. A body is exactly one JSON value: anything after it is `malformed_json` (400). \
Dates are exactly `YYYY-MM-DD` (`2026-06-30`; not `2026-6-30`, `+2026-06-30` or `2026-06-30 `), else 422. \
Every text, in any field of any body and in any query parameter, refuses control characters other than \
tab, CR and LF: 422 `validation_failed` with the field named and code `control_character`, nothing stored; \
usernames are letters, digits, `.`, `_` and `-`. An operation takes only the query parameters it lists: \
any other is 400 `invalid_query_parameter`, named in `errors` with code `unknown_parameter`.\n\n\
One amount has at most 12 integer digits; sums (report totals, a form's total) are exact with as many \
digits as they need (`MoneyTotal`). When the database is unreachable (connection lost, server restarting, \
too many connections, SQLite file locked by another program), requests answer 503 `database_unavailable` \
with `Retry-After` (seconds) and change nothing; retry them.",
        license(name = "MIT", identifier = "MIT"),
        version = "1.0.0"
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, crate::error::ErrorCode, crate::domain::FieldError)),
    tags(
        (name = "auth", description = "Sign in and who am I"),
        (name = "users", description = "User accounts (admin only)"),
        (name = "units", description = "Reporting units (填报单位)"),
        (name = "periods", description = "Monitoring periods (监控期), deadlines and completeness"),
        (name = "items", description = "Monitored items: overall budgets, special funds, projects"),
        (name = "indicators", description = "The three-level indicator tree of an item"),
        (name = "submissions", description = "Forms 1–3 and their review workflow"),
        (name = "corrective-actions", description = "纠偏措施 and rectification orders (Art. 11, 12)"),
        (name = "adjustment-requests", description = "Budget and target adjustments for objective causes (Art. 13)"),
        (name = "measures", description = "Finance measures: payments, adjustments, rectification, budget references (Art. 12, 14)"),
        (name = "audit", description = "The append-only audit trail"),
        (name = "operations", description = "Health and readiness")
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
                    .description(Some("A token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, generated from the registered handlers (no server or database needed).
pub fn openapi() -> OpenApiDoc {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope("/api/v1").configure(configure))
        .configure(health::configure)
        .split_for_parts();
    let mut doc = doc;
    ProblemResponses.modify(&mut doc);
    text_schema::TextRule.modify(&mut doc);
    doc
}

/// Documents the problem+json answers every operation can give, so each handler lists only
/// the ones particular to it.
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        use utoipa::openapi::{header::HeaderBuilder, schema::Type, ContentBuilder, Object};
        use utoipa::openapi::{Ref, ResponseBuilder};
        let problem = |description: &str| {
            let r = ResponseBuilder::new().description(description).content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            );
            if description.contains("database_unavailable") {
                let seconds = HeaderBuilder::new()
                    .schema(Object::with_type(Type::Integer))
                    .description(Some("Seconds to wait before retrying"))
                    .build();
                r.header("Retry-After", seconds).build()
            } else {
                r.build()
            }
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                continue;
            }
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_body = op.request_body.is_some();
                let mut add = |status: &str, description: &str| {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description).into());
                };
                add("400", "Malformed request: bad JSON or data after it, a bad path parameter, a query parameter the operation does not take or a bad value of one, or a bad header (`malformed_json`, `invalid_path_parameter`, `invalid_query_parameter`, `invalid_header`)");
                if secured {
                    add("401", "Missing, invalid or expired bearer token (`missing_token`, `invalid_token`)");
                    add("403", "Your role may not do this (`forbidden`)");
                }
                if has_body {
                    add("413", "Body over 1 MiB (`payload_too_large`)");
                    add(
                        "415",
                        "Body is not application/json (`unsupported_media_type`)",
                    );
                }
                add(
                    "422",
                    "Invalid fields or query parameters, listed in `errors` (`validation_failed`); a control character other than tab, CR or LF in any text has the code `control_character`",
                );
                add(
                    "500",
                    "Internal error; the body carries the request id (`internal_error`)",
                );
                add(
                    "503",
                    "The database is unavailable for now (`database_unavailable`); nothing was changed: retry after `Retry-After` seconds",
                );
            }
        }
    }
}

/// The spec as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    let mut s = openapi().to_pretty_json().expect("the spec serializes");
    s.push('\n');
    s
}
