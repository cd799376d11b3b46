//! `GET /events`: the change feed, every committed change to the monitoring workflow as a
//! CloudEvents 1.0 event, in commit order, read from a cursor.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::app::events::{self, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::CurrentUser;
use crate::domain::events::{Cursor, StoredEvent};
use crate::error::ApiResult;
use crate::state::AppState;

/// One change, as a CloudEvents 1.0 event (JSON format).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "specversion": "1.0",
    "id": "0193a1f2-7c3d-7e4f-8a5b-6c7d8e9f0a1b",
    "source": "/api/v1",
    "type": "submission.submitted",
    "subject": "submissions/3f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f",
    "time": "2026-07-08T02:15:00.123456Z",
    "datacontenttype": "application/json",
    "seq": 42,
    "data": {"id": "3f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "status": "submitted", "version": 3, "warning": "red", "late": false}
}))]
pub struct CloudEvent {
    /// Always `1.0`.
    #[schema(example = "1.0")]
    pub specversion: &'static str,
    /// The event's own id (unique; a consumer that sees an id twice can drop the second).
    pub id: Uuid,
    /// Always `/api/v1`: the API the subject is read from.
    #[schema(example = "/api/v1")]
    pub source: String,
    /// What happened, `<resource>.<what>`: `period.opened`, `period.closed`,
    /// `period.reopened`, `period.published`, `submission.created`, `submission.updated`,
    /// `submission.submitted`, `submission.returned`, `submission.accepted`,
    /// `corrective_action.created`, `corrective_action.progressed`,
    /// `corrective_action.completed`, `corrective_action.verified`,
    /// `corrective_action.reopened`, `adjustment.requested`, `adjustment.approved`,
    /// `adjustment.rejected`, `adjustment.withdrawn`, `measure.decided`, `measure.lifted`,
    /// `item.created`, `item.updated`, `item.key_designated`.
    #[serde(rename = "type")]
    #[schema(example = "submission.submitted")]
    pub event_type: String,
    /// The changed resource, as its path under `source`: `submissions/{id}`, `periods/{id}`,
    /// `items/{id}`, `corrective-actions/{id}`, `adjustment-requests/{id}`, `measures/{id}`.
    #[schema(example = "submissions/3f2b8c1d-9e4a-4b6c-8d7e-1a2b3c4d5e6f")]
    pub subject: String,
    /// When the change was made (`seq`, not `time`, is the order).
    pub time: DateTime<Utc>,
    /// Always `application/json`.
    #[schema(example = "application/json")]
    pub datacontenttype: &'static str,
    /// Extension attribute: the event's position in the feed, 1, 2, 3, … in commit order,
    /// without gaps (events deleted by the retention leave the start of the run).
    #[schema(example = 42, minimum = 1)]
    pub seq: i64,
    /// The resource after the change, exactly as the API answered the request that changed
    /// it (e.g. a `SubmissionResponse` for `submission.*`).
    #[schema(value_type = serde_json::Value)]
    pub data: Box<serde_json::value::RawValue>,
}

impl From<StoredEvent> for CloudEvent {
    fn from(e: StoredEvent) -> Self {
        CloudEvent {
            specversion: "1.0",
            id: e.id,
            source: e.source,
            event_type: e.event_type,
            subject: e.subject,
            time: e.time,
            datacontenttype: "application/json",
            seq: e.seq,
            data: e.data,
        }
    }
}

/// One read of the change feed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "events": [{
        "specversion": "1.0",
        "id": "0193a1f2-7c3d-7e4f-8a5b-6c7d8e9f0a1b",
        "source": "/api/v1",
        "type": "period.opened",
        "subject": "periods/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
        "time": "2026-07-01T01:00:00Z",
        "datacontenttype": "application/json",
        "seq": 41,
        "data": {"id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "year": 2026, "kind": "h1", "status": "open", "version": 2}
    }],
    "next_cursor": "41"
}))]
pub struct EventPage {
    /// The events after the cursor that you may see, oldest first (by `seq`).
    pub events: Vec<CloudEvent>,
    /// Send it as `after` next time to get what follows. It moves past events you may not see
    /// as well, and equals the `after` you sent when nothing new happened. Opaque: store it as
    /// a string.
    #[schema(example = "41")]
    pub next_cursor: String,
}

/// `?after=&limit=` of the feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// The `next_cursor` of your last read; leave it out to start with the oldest event kept.
    #[param(max_length = 32, example = "41")]
    pub after: Option<String>,
    /// Events per read, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<u64>,
}

/// Read the change feed: what changed after your cursor (every signed-in role).
///
/// Every committed change to periods (opened, closed, reopened, published), forms, corrective
/// actions, adjustment requests, measures and items is one CloudEvents 1.0 event, written in
/// the change's own transaction: a change that failed has no event, one that succeeded always
/// has exactly one. Events come in commit order (`seq`), and a later commit never lands
/// before a cursor already handed out, so resuming from `next_cursor` sees every event once.
/// Units, users, indicators, draft periods and sign-ins are not in the feed.
///
/// A reporter sees the events of its own unit's resources and those of periods; admin,
/// finance and viewer see all. Events are kept `BM_EVENT_RETENTION_DAYS` (400 by default):
/// a cursor whose next events were deleted answers 410 `cursor_expired` (read again without
/// `after` and reconcile through the resources).
///
/// ```sh
/// curl -s "$BM/api/v1/events?after=$CURSOR&limit=100" -H "Authorization: Bearer $TOKEN"
/// ```
#[utoipa::path(
    tag = "events",
    params(EventsQuery),
    responses(
        (status = 200, description = "The events after the cursor, and the cursor to resume from", body = EventPage),
        (status = 410, description = "Events after this cursor were deleted by the retention; read again without `after`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/events")]
#[tracing::instrument(skip_all)]
pub async fn list_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<EventsQuery>,
) -> ApiResult<HttpResponse> {
    let (after, limit) = checked(&q)?;
    let page = events::read(&state.db, &user, after, limit).await?;
    Ok(HttpResponse::Ok().json(EventPage {
        events: page.events.into_iter().map(CloudEvent::from).collect(),
        next_cursor: page.next.to_string(),
    }))
}

/// The cursor and the page size, or 422 naming what is wrong with them.
fn checked(q: &EventsQuery) -> ApiResult<(Option<Cursor>, u64)> {
    let mut v = crate::domain::Violations::new();
    let after = match q.after.as_deref() {
        None => None,
        Some(s) => {
            let c = Cursor::parse(s);
            if c.is_none() {
                v.add(
                    "after",
                    "invalid_cursor",
                    "is not a cursor of this feed: send a `next_cursor` as it came",
                );
            }
            c
        }
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        v.add("limit", "out_of_range", "must be between 1 and 1000");
    }
    v.finish(|| ())?;
    Ok((after, limit))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_events);
}
