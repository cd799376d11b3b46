//! Auditing of denied requests, in one place for every route: after the handler has answered, a
//! 401 for a token that was ours (unknown or deactivated user, expired), a 403 for the caller's
//! role, and the 404 a reporter gets for another unit's object each write one audit event with
//! outcome `denied` (`auth.token_refused`, `access.forbidden`, `access.other_unit`). At most
//! [`MAX_DENIED_EVENTS`](crate::domain::throttle::MAX_DENIED_EVENTS) per caller and client
//! address in a 15-minute window are written; the rest are counted only. A token that does not
//! parse is not audited (there is nobody to name). Writing the event never changes the answer:
//! a failure is logged and the client gets its 401/403/404 all the same.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest};
use sea_orm::DbErr;
use serde_json::json;

use super::request_id::RequestInfo;
use crate::auth::{CurrentUser, RefusedToken};
use crate::error::{ApiError, ErrorCode};
use crate::persistence::audit::{Actor, Entry, Origin};
use crate::state::AppState;

/// One denied request to record.
struct Denial {
    subject: String,
    actor: Actor,
    entry: Entry,
}

/// Middleware: audits the denied answers of the service's own handlers.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if !matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) {
        return Ok(res);
    }
    let error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>());
    if let Some(denial) = error.and_then(|e| denial(res.request(), e, status)) {
        let req = res.request();
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            if let Err(e) = record(state, &origin(req), denial).await {
                tracing::warn!(error = %e, "could not audit a denied request");
            }
        }
    }
    Ok(res)
}

fn origin(req: &HttpRequest) -> Origin {
    let info = req
        .extensions()
        .get::<RequestInfo>()
        .cloned()
        .unwrap_or_default();
    Origin {
        request_id: info.id,
        client_request_id: info.client_id,
        client_addr: super::client_addr::of(req),
    }
}

/// A denied-request audit entry.
fn entry(
    action: &'static str,
    resource_type: &'static str,
    resource_id: Option<String>,
    after: serde_json::Value,
) -> Entry {
    Entry {
        action,
        resource_type,
        resource_id,
        outcome: "denied",
        before: None,
        after: Some(after),
    }
}

/// What to record for this answer, if it is a denial worth auditing.
fn denial(req: &HttpRequest, error: &ApiError, status: StatusCode) -> Option<Denial> {
    let ext = req.extensions();
    let mut request = json!({
        "method": req.method().as_str(),
        "path": req.path(),
        "status": status.as_u16(),
    });
    match (error, status) {
        (ApiError::Client { code, .. }, StatusCode::UNAUTHORIZED)
            if *code == ErrorCode::InvalidToken =>
        {
            token_refused(ext.get::<RefusedToken>()?, request)
        }
        (ApiError::Client { code, detail, .. }, StatusCode::FORBIDDEN)
            if *code == ErrorCode::Forbidden =>
        {
            let user = ext.get::<CurrentUser>()?;
            request["detail"] = json!(detail);
            Some(Denial {
                subject: user.id.to_string(),
                actor: user.actor(),
                entry: entry("access.forbidden", "request", None, request),
            })
        }
        (
            ApiError::Hidden {
                resource_type,
                resource_id,
            },
            StatusCode::NOT_FOUND,
        ) => {
            let user = ext.get::<CurrentUser>()?;
            let id = Some(resource_id.clone());
            Some(Denial {
                subject: user.id.to_string(),
                actor: user.actor(),
                entry: entry("access.other_unit", resource_type, id, request),
            })
        }
        _ => None,
    }
}

/// A token of ours refused (unknown or deactivated user, expired, ended).
fn token_refused(t: &RefusedToken, mut after: serde_json::Value) -> Option<Denial> {
    after["reason"] = json!(t.reason);
    let subject = t.subject.to_string();
    Some(Denial {
        subject: subject.clone(),
        actor: Actor {
            id: Some(t.subject),
            username: t.username.clone(),
            ..Actor::default()
        },
        entry: entry("auth.token_refused", "session", Some(subject), after),
    })
}

/// Counts the denial and writes its event while the caller is within the limit.
async fn record(state: &AppState, origin: &Origin, d: Denial) -> Result<(), DbErr> {
    let now = crate::persistence::now();
    crate::app::auth::record_denial(&state.db, origin, &d.subject, &d.actor, d.entry, now).await
}
