//! `/healthz` and `/readyz`, outside `/api/v1`.

use actix_web::{get, web, HttpResponse};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
}

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// The database answers.
///
/// 503 `database_unavailable` with `Retry-After` while the database cannot be reached (for a
/// load balancer: take the instance out of rotation until this answers 200 again).
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "The database does not answer (`database_unavailable`)", body = crate::error::Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before asking again")))
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = &state.db;
    let ping = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        db.execute_unprepared("SELECT 1"),
    )
    .await;
    match ping {
        Ok(Ok(_)) => Ok(HttpResponse::Ok().json(Health {
            status: "ready".into(),
        })),
        _ => Err(ApiError::new(
            ErrorCode::DatabaseUnavailable,
            "the database does not answer",
        )),
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz).service(readyz);
}
