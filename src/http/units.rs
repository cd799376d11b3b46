//! `/units`: the reporting units (填报单位). Admin writes; every signed-in role reads.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{IfMatch, Json, PageParams, Paginated};
use super::respond::{reply, with_etag, Resource, Writer};
use crate::app::units::{self, UnitChanges, UnitInput};
use crate::auth::CurrentUser;
use crate::domain::unit::{Unit, UnitKind};
use crate::error::ApiResult;
use crate::persistence::units::{self as repo, UnitFilter};
use crate::state::AppState;

/// A reporting unit.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "code": "ZZB", "name": "组织部",
    "kind": "department", "parent_id": null, "version": 1,
    "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z"
}))]
pub struct UnitResponse {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
    /// Increases with every change; the `ETag` is this number in quotes.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Unit> for UnitResponse {
    fn from(u: Unit) -> Self {
        UnitResponse {
            id: u.id,
            code: u.code,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new unit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "ZZB", "name": "组织部", "kind": "department"}))]
pub struct CreateUnitRequest {
    /// Unique code: 1–32 letters, digits, `.`, `_`, `-`.
    #[schema(min_length = 1, max_length = 32, pattern = "^[A-Za-z0-9._-]{1,32}$")]
    pub code: String,
    /// 1–100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    pub kind: UnitKind,
    /// The unit this one belongs to, e.g. the union a subordinate union reports to.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Changes to a unit; absent fields stay as they are, `parent_id: null` removes the parent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "组织部（人才工作部）"}))]
pub struct UpdateUnitRequest {
    #[schema(min_length = 1, max_length = 32, pattern = "^[A-Za-z0-9._-]{1,32}$")]
    pub code: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub parent_id: Option<Option<Uuid>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitListQuery {
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Uuid>,
}

impl Resource for UnitResponse {
    fn location(&self) -> String {
        format!("/api/v1/units/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

impl From<CreateUnitRequest> for UnitInput {
    fn from(r: CreateUnitRequest) -> Self {
        UnitInput {
            code: r.code,
            name: r.name,
            kind: r.kind,
            parent_id: r.parent_id,
        }
    }
}

impl From<UpdateUnitRequest> for UnitChanges {
    fn from(r: UpdateUnitRequest) -> Self {
        UnitChanges {
            code: r.code,
            name: r.name,
            kind: r.kind,
            parent_id: r.parent_id,
        }
    }
}

/// Create a unit (admin).
///
/// `curl -X POST $BM/api/v1/units -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"code":"ZZB","name":"组织部","kind":"department"}'`
#[utoipa::path(
    tag = "units",
    request_body = CreateUnitRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new unit", body = UnitResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A unit with this code already exists.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_unit(w: Writer, body: Json<CreateUnitRequest>) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |_| units::authorize(&w.user),
            async |txn, ()| {
                Ok(units::create(txn, req.into())
                    .await?
                    .map(UnitResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// List units (every signed-in role), ordered by code.
#[utoipa::path(
    tag = "units",
    params(PageParams, UnitListQuery),
    responses(
        (status = 200, description = "One page of units, ordered by code", body = Paginated<UnitResponse>),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_units(
    state: web::Data<AppState>,
    _user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<UnitListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let filter = UnitFilter {
        kind: q.kind,
        parent_id: q.parent_id,
        ids: None,
    };
    let (rows, total) = repo::list(&state.db, &filter, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(UnitResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one unit (every signed-in role).
#[utoipa::path(
    tag = "units",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The unit", body = UnitResponse, headers(("ETag" = String))),
        (status = 404, description = "No such unit.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_unit(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let unit = units::get(&state.db, *id).await?;
    Ok(with_etag(StatusCode::OK, &UnitResponse::from(unit)))
}

/// Change a unit (admin); needs `If-Match` with the unit's `ETag`.
#[utoipa::path(
    tag = "units",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdateUnitRequest,
    responses(
        (status = 200, description = "The changed unit", body = UnitResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A unit with this code already exists.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_unit(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateUnitRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |_| units::authorize(&w.user),
            async |txn, ()| {
                let change = units::update(txn, *id, &if_match, body.0.into()).await?;
                Ok(change.map(UnitResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_unit)
        .service(list_units)
        .service(get_unit)
        .service(update_unit);
}
