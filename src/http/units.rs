//! `/units`: the reporting units (填报单位). Admin writes; every signed-in role reads.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json, PageParams, Paginated};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::unit::{self, Unit, UnitKind};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::units::{self as repo, UnitFields, UnitFilter};
use crate::startup::AppState;

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

fn with_etag(status: StatusCode, u: &UnitResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(u.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, format!("/api/v1/units/{}", u.id)));
    }
    b.json(u)
}

async fn check_fields(
    db: &impl sea_orm::ConnectionTrait,
    id: Option<Uuid>,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent_id: Option<Uuid>,
) -> ApiResult<UnitFields> {
    let mut v = Violations::new();
    let code = unit::code(&mut v, code);
    let name = unit::name(&mut v, name);
    if let Some(p) = parent_id {
        match repo::get(db, p).await? {
            None => v.add("parent_id", "unknown", "no unit has this id"),
            Some(_) => {
                if let Some(id) = id {
                    if repo::is_self_or_descendant(db, id, p).await? {
                        v.add(
                            "parent_id",
                            "cycle",
                            "a unit cannot belong to itself or to one of its own sub-units",
                        );
                    }
                }
            }
        }
    }
    let fields = v.finish(|| UnitFields {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        kind,
        parent_id,
    })?;
    Ok(fields)
}

fn duplicate_code(e: sea_orm::DbErr) -> ApiError {
    if crate::persistence::is_unique_violation(&e) {
        ApiError::conflict("a unit with this code already exists")
    } else {
        e.into()
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
#[post("/units")]
#[tracing::instrument(skip_all)]
pub async fn create_unit(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateUnitRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let fields = check_fields(&txn, None, &req.code, &req.name, req.kind, req.parent_id).await?;
    let unit: UnitResponse = repo::insert(&txn, fields)
        .await
        .map_err(duplicate_code)?
        .into();
    let after = serde_json::to_value(&unit).ok();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success("unit.create", "unit", unit.id, None, after),
    )
    .await?;
    idem.save(&txn, StatusCode::CREATED, &unit).await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &unit))
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
#[get("/units")]
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
#[get("/units/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_unit(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let unit = repo::get(&state.db, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    Ok(with_etag(StatusCode::OK, &unit.into()))
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
#[patch("/units/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_unit(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateUnitRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let req = body.0;
    let txn = state.db.begin().await?;
    let current = repo::get(&txn, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    let fields = check_fields(
        &txn,
        Some(current.id),
        req.code.as_deref().unwrap_or(&current.code),
        req.name.as_deref().unwrap_or(&current.name),
        req.kind.unwrap_or(current.kind),
        req.parent_id.unwrap_or(current.parent_id),
    )
    .await?;
    // A request that is wrong whatever the version gets 422 before the precondition is judged.
    if_match.check(current.version)?;
    let before = UnitResponse::from(current.clone());
    if !repo::update(&txn, current.id, current.version, fields)
        .await
        .map_err(duplicate_code)?
    {
        return Err(IfMatch::stale());
    }
    let after: UnitResponse = repo::get(&txn, current.id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?
        .into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "unit.update",
            "unit",
            current.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_unit)
        .service(list_units)
        .service(get_unit)
        .service(update_unit);
}
