//! `GET /audit-events`: the append-only audit trail (admin and finance), and
//! `GET /audit-events/verify`, which recomputes its hash chain. Nothing in the API changes or
//! deletes an event, and database triggers refuse UPDATE and DELETE of the table.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{PageParams, Paginated};
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::audit_chain::{BreakReason, Verification};
use crate::error::ApiResult;
use crate::persistence::audit::{self, AuditFilter, StoredEvent};
use crate::state::AppState;

/// One recorded change or sign-in attempt.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0190f2a4-5b6c-7d8e-9f01-23456789abcd", "seq": 42, "occurred_at": "2026-07-08T02:15:00Z", "actor_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "actor_username": "admin", "actor_role": "admin", "actor_unit_id": null, "action": "unit.update", "resource_type": "unit", "resource_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10", "client_request_id": "rename-xcb-1", "client_addr": "10.0.0.8", "outcome": "success", "before": {"name": "组织部"}, "after": {"name": "组织部（人才工作部）"}, "prev_hash": "5d41402abc4b2a76b9719d911017c592ae2d1f3b6e4e9c0a5f8b7c6d5e4f3a21", "hash": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}))]
pub struct AuditEventResponse {
    pub id: Uuid,
    /// The event's position in the hash chain: 1, 2, 3, … in the order events were written,
    /// without gaps.
    #[schema(example = 42, minimum = 1)]
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_username: Option<String>,
    pub actor_role: Option<String>,
    pub actor_unit_id: Option<Uuid>,
    /// `<resource>.<verb>`, e.g. `unit.create`, `auth.login_failed`.
    #[schema(example = "unit.create")]
    pub action: String,
    #[schema(example = "unit")]
    pub resource_type: String,
    pub resource_id: Option<String>,
    /// The server's id of the request that wrote the event (its `X-Request-Id` response
    /// header).
    pub request_id: String,
    /// The `X-Request-Id` the client sent with that request, if any (1–128 printable ASCII
    /// characters; kept as sent, never used as the server's id).
    #[schema(example = "rename-xcb-1")]
    pub client_request_id: Option<String>,
    pub client_addr: Option<String>,
    /// `success`, `failure` or `denied`.
    #[schema(example = "success")]
    pub outcome: String,
    /// The resource before the change (secrets redacted).
    pub before: Option<serde_json::Value>,
    /// The resource after the change (secrets redacted).
    pub after: Option<serde_json::Value>,
    /// The `hash` of the event before it (64 zeros for the first event).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub prev_hash: String,
    /// SHA-256 (lowercase hex) of the event's canonical encoding `bm-audit-v1`, which covers
    /// every field above including `seq` and `prev_hash` (see the README).
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub hash: String,
}

impl From<StoredEvent> for AuditEventResponse {
    fn from(StoredEvent { event: e, hash }: StoredEvent) -> Self {
        AuditEventResponse {
            id: e.id,
            seq: e.seq,
            occurred_at: e.occurred_at,
            actor_id: e.actor_id,
            actor_username: e.actor_username,
            actor_role: e.actor_role,
            actor_unit_id: e.actor_unit_id,
            action: e.action,
            resource_type: e.resource_type,
            resource_id: e.resource_id,
            request_id: e.request_id,
            client_request_id: e.client_request_id,
            client_addr: e.client_addr,
            outcome: e.outcome,
            before: e.before,
            after: e.after,
            prev_hash: e.prev_hash,
            hash,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    /// e.g. `unit.update`
    #[param(max_length = 64)]
    pub action: Option<String>,
    #[param(max_length = 64)]
    pub resource_type: Option<String>,
    #[param(max_length = 64)]
    pub resource_id: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// The event at this place in the chain, e.g. to compare its `hash` with one noted earlier.
    #[param(minimum = 1)]
    pub seq: Option<i64>,
}

/// List audit events, newest first (admin, finance).
///
/// Newest first means the highest `seq` first. Each event carries its place in the hash chain
/// (`seq`, `prev_hash`, `hash`); `GET /audit-events/verify` checks the chain.
///
/// Besides every change (`<resource>.<verb>`, outcome `success`), the trail holds sign-ins
/// (`auth.login`), failed sign-ins (`auth.login_failed`, outcome `failure`), the first throttled
/// sign-in of a 15-minute window (`auth.login_throttled`, outcome `denied`) and denied requests
/// (outcome `denied`): `auth.token_refused` (a token issued here but expired or of an unknown or
/// deactivated user; `after.reason`), `access.forbidden` (a 403 for the caller's role) and
/// `access.other_unit` (a reporter asking for another unit's object, which it is answered 404;
/// the object in `resource_type` / `resource_id`). Denied requests write at most 5 events per
/// caller and client address per window; the rest are counted only. `client_addr` is the
/// client's address (behind a trusted reverse proxy, the one it forwarded).
#[utoipa::path(
    tag = "audit",
    params(PageParams, AuditQuery),
    responses(
        (status = 200, description = "One page of audit events, newest first", body = Paginated<AuditEventResponse>),
        (status = 403, description = "Needs the role admin or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-events")]
#[tracing::instrument(skip_all)]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Finance])?;
    let page = page.check()?;
    let q = q.into_inner();
    let mut v = crate::domain::Violations::new();
    for (field, value) in [
        ("action", &q.action),
        ("resource_type", &q.resource_type),
        ("resource_id", &q.resource_id),
    ] {
        if value.as_ref().is_some_and(|s| s.chars().count() > 64) {
            v.add(field, "too_long", "must be at most 64 characters");
        }
    }
    if q.seq.is_some_and(|s| s < 1) {
        v.add("seq", "out_of_range", "must be at least 1");
    }
    v.finish(|| ())?;
    let f = AuditFilter {
        actor_id: q.actor_id,
        action: q.action,
        resource_type: q.resource_type,
        resource_id: q.resource_id,
        from: q.from,
        to: q.to,
        seq: q.seq,
    };
    let (rows, total) = audit::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(AuditEventResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// The result of recomputing the audit trail's hash chain.
#[derive(Debug, Serialize, ToSchema)]
#[schema(examples(
    json!({"intact": true, "events_checked": 1284, "head_seq": 1284, "last_seq": 1284, "last_hash": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "first_break": null}),
    json!({"intact": false, "events_checked": 16, "head_seq": 1284, "last_seq": 16, "last_hash": "5d41402abc4b2a76b9719d911017c592ae2d1f3b6e4e9c0a5f8b7c6d5e4f3a21", "first_break": {"event_id": "0190f2a4-5b6c-7d8e-9f01-23456789abcd", "seq": 17, "expected_seq": 17, "reason": "hash_mismatch", "message": "event 0190f2a4-5b6c-7d8e-9f01-23456789abcd (seq 17): its fields do not match its hash (changed after it was written)"}})
))]
pub struct VerifyResponse {
    /// Whether every event up to the head is unchanged, present and linked.
    pub intact: bool,
    /// Events checked and found intact (up to the first break).
    pub events_checked: u64,
    /// The number of events the chain's head records when the check started; events
    /// written while it ran are left for the next check.
    pub head_seq: i64,
    /// The seq of the last intact event (0 for none).
    pub last_seq: i64,
    /// The hash of the last intact event: write it down elsewhere to check later that nothing
    /// before it was rewritten.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub last_hash: String,
    /// The first event that does not fit the chain; null when intact.
    pub first_break: Option<ChainBreakResponse>,
}

/// Where and why the chain breaks.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"event_id": "0190f2a4-5b6c-7d8e-9f01-23456789abcd", "seq": 17, "expected_seq": 15, "reason": "missing_seq", "message": "event 0190f2a4-5b6c-7d8e-9f01-23456789abcd (seq 17): seqs 15 to 16 are missing before it (deleted)"}))]
pub struct ChainBreakResponse {
    /// The event that does not fit; null for `missing_tail` and `head_mismatch`, which concern
    /// the end of the trail.
    pub event_id: Option<Uuid>,
    /// Its seq (for `missing_tail`, the first missing seq).
    pub seq: i64,
    /// The seq expected at this place.
    pub expected_seq: i64,
    /// `hash_mismatch`: the event was changed; `broken_link`: its `prev_hash` is not the hash
    /// of the event before it; `missing_seq`: events before it were deleted; `duplicate_seq`:
    /// its seq repeats; `missing_tail`: the last events were deleted; `head_mismatch`: the
    /// chain's head does not match the last event.
    #[schema(example = "hash_mismatch")]
    pub reason: ChainBreakReason,
    /// The same, as a sentence.
    pub message: String,
}

/// Why an event does not fit the chain.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainBreakReason {
    HashMismatch,
    BrokenLink,
    MissingSeq,
    DuplicateSeq,
    MissingTail,
    HeadMismatch,
}

impl From<BreakReason> for ChainBreakReason {
    fn from(r: BreakReason) -> Self {
        match r {
            BreakReason::HashMismatch => ChainBreakReason::HashMismatch,
            BreakReason::BrokenLink => ChainBreakReason::BrokenLink,
            BreakReason::MissingSeq => ChainBreakReason::MissingSeq,
            BreakReason::DuplicateSeq => ChainBreakReason::DuplicateSeq,
            BreakReason::MissingTail => ChainBreakReason::MissingTail,
            BreakReason::HeadMismatch => ChainBreakReason::HeadMismatch,
        }
    }
}

impl From<Verification> for VerifyResponse {
    fn from(v: Verification) -> Self {
        VerifyResponse {
            intact: v.first_break.is_none(),
            events_checked: v.checked,
            head_seq: v.head_seq,
            last_seq: v.last_seq,
            last_hash: v.last_hash,
            first_break: v.first_break.map(|b| ChainBreakResponse {
                event_id: b.event_id,
                seq: b.seq,
                expected_seq: b.expected_seq,
                reason: b.reason.into(),
                message: b.message,
            }),
        }
    }
}

/// Verify the audit trail: recompute its hash chain and name the first event that does not fit
/// (admin, finance).
///
/// Every event carries `seq`, `prev_hash` and `hash` = SHA-256 of its canonical encoding; this
/// walks the whole trail in seq order, a page at a time, and checks each event's seq, its link
/// to the event before and its hash, then the end of the trail against the chain's head. The
/// answer is 200 whether or not the chain is intact: read `intact` and `first_break`. The
/// same check runs from the command line as `budget-monitor audit verify`.
///
/// `curl $BM/api/v1/audit-events/verify -H "Authorization: Bearer $TOKEN"`
#[utoipa::path(
    tag = "audit",
    responses(
        (status = 200, description = "The result of the check: `intact: true` and `first_break: null` when every event is in place and unchanged; otherwise `intact: false` and the first event that does not fit (this example: event 17 was edited in the database).", body = VerifyResponse,
            example = json!({"intact": false, "events_checked": 16, "head_seq": 1284, "last_seq": 16, "last_hash": "5d41402abc4b2a76b9719d911017c592ae2d1f3b6e4e9c0a5f8b7c6d5e4f3a21", "first_break": {"event_id": "0190f2a4-5b6c-7d8e-9f01-23456789abcd", "seq": 17, "expected_seq": 17, "reason": "hash_mismatch", "message": "event 0190f2a4-5b6c-7d8e-9f01-23456789abcd (seq 17): its fields do not match its hash (changed after it was written)"}})),
        (status = 403, description = "Needs the role admin or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-events/verify")]
#[tracing::instrument(skip_all)]
pub async fn verify_audit_events(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Finance])?;
    let v = audit::verify(&state.db).await?;
    Ok(HttpResponse::Ok().json(VerifyResponse::from(v)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(verify_audit_events).service(list_audit_events);
}
