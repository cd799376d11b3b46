//! The change feed's vocabulary: which audited change becomes which event, who may read it,
//! and the cursor clients resume from. Pure rules; the pipeline writes the events
//! (`app::events`), `GET /api/v1/events` reads them.

use std::fmt;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Who may read an event, besides the roles that read everything (admin, finance, viewer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every signed-in caller: the resource has no unit and every role may read it (periods).
    Everyone,
    /// Callers of the resource's unit (its `unit_id`), e.g. a reporter.
    Unit,
}

/// One kind of event: its CloudEvents `type`, where its subject lives and who may read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKind {
    /// The CloudEvents `type`, `<resource>.<what happened>`, e.g. `submission.submitted`.
    pub name: &'static str,
    /// The collection under `/api/v1` the subject is read from, e.g. `submissions`: the
    /// subject is `submissions/<id>`.
    pub collection: &'static str,
    pub audience: Audience,
}

/// What the feed makes of an audited change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// The change is published as this event.
    Emits(EventKind),
    /// The change is deliberately left out of the feed.
    Silent,
    /// An action missing from [`feed_of`]'s table: a new action must be added there.
    Unknown,
}

const fn emits(name: &'static str, collection: &'static str, audience: Audience) -> Feed {
    Feed::Emits(EventKind {
        name,
        collection,
        audience,
    })
}

/// The one table from audit actions (`<resource>.<verb>`, the pipeline's `Change::action`) to
/// events. `before_status` is the resource's status before the change; it is asked for only
/// where the action alone does not tell (opening a closed period reopens it).
///
/// Left out on purpose: drafts of periods (`period.create`, `period.update`) and deadline
/// extensions; indicators (an item's tree is read with the item; approved target changes come
/// as `adjustment.approved` and `measure.decided`); units and users (administration, not
/// monitoring); sign-ins and denied requests (not changes; the audit trail has them).
pub fn feed_of(action: &str, before_status: impl FnOnce() -> Option<String>) -> Feed {
    use Audience::{Everyone, Unit};
    match action {
        "period.open" if before_status().as_deref() == Some("closed") => {
            emits("period.reopened", "periods", Everyone)
        }
        "period.open" => emits("period.opened", "periods", Everyone),
        "period.close" => emits("period.closed", "periods", Everyone),
        "period.publish" => emits("period.published", "periods", Everyone),
        "submission.create" => emits("submission.created", "submissions", Unit),
        "submission.update" => emits("submission.updated", "submissions", Unit),
        "submission.submit" => emits("submission.submitted", "submissions", Unit),
        "submission.return" => emits("submission.returned", "submissions", Unit),
        "submission.accept" => emits("submission.accepted", "submissions", Unit),
        "corrective_action.create" => {
            emits("corrective_action.created", "corrective-actions", Unit)
        }
        "corrective_action.progress" => {
            emits("corrective_action.progressed", "corrective-actions", Unit)
        }
        "corrective_action.complete" => {
            emits("corrective_action.completed", "corrective-actions", Unit)
        }
        "corrective_action.verify" => {
            emits("corrective_action.verified", "corrective-actions", Unit)
        }
        "corrective_action.reopen" => {
            emits("corrective_action.reopened", "corrective-actions", Unit)
        }
        "adjustment_request.create" => emits("adjustment.requested", "adjustment-requests", Unit),
        "adjustment_request.approve" => emits("adjustment.approved", "adjustment-requests", Unit),
        "adjustment_request.reject" => emits("adjustment.rejected", "adjustment-requests", Unit),
        "adjustment_request.withdraw" => emits("adjustment.withdrawn", "adjustment-requests", Unit),
        "measure.create" => emits("measure.decided", "measures", Unit),
        "measure.lift" => emits("measure.lifted", "measures", Unit),
        // A copy of a project into its next year is a new item.
        "item.create" | "item.copy" => emits("item.created", "items", Unit),
        "item.update" => emits("item.updated", "items", Unit),
        "item.key_monitoring" => emits("item.key_designated", "items", Unit),
        "period.create" | "period.update" | "period.extension" => Feed::Silent,
        "indicator.create" | "indicator.update" | "indicator.delete" => Feed::Silent,
        "unit.create" | "unit.update" => Feed::Silent,
        "user.create" | "user.update" | "user.reset_password" => Feed::Silent,
        "api_client.create" | "api_client.update" | "api_client.rotate_secret" => Feed::Silent,
        "auth.client_token" | "auth.client_token_failed" => Feed::Silent,
        // Webhooks carry the feed; their own administration is not in it.
        "webhook.create"
        | "webhook.update"
        | "webhook.rotate_secret"
        | "webhook.delete"
        | "webhook.resend"
        | "webhook.disable" => Feed::Silent,
        "auth.login" | "auth.login_failed" | "auth.login_throttled" | "auth.token_refused" => {
            Feed::Silent
        }
        "access.forbidden" | "access.other_unit" => Feed::Silent,
        _ => Feed::Unknown,
    }
}

/// Every event type the feed publishes, for the documentation.
pub const TYPES: &[&str] = &[
    "period.opened",
    "period.closed",
    "period.reopened",
    "period.published",
    "submission.created",
    "submission.updated",
    "submission.submitted",
    "submission.returned",
    "submission.accepted",
    "corrective_action.created",
    "corrective_action.progressed",
    "corrective_action.completed",
    "corrective_action.verified",
    "corrective_action.reopened",
    "adjustment.requested",
    "adjustment.approved",
    "adjustment.rejected",
    "adjustment.withdrawn",
    "measure.decided",
    "measure.lifted",
    "item.created",
    "item.updated",
    "item.key_designated",
];

/// One event of the feed: its `data` a JSON tree when it is written, the stored JSON text when
/// it is read back ([`StoredEvent`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Event<D = serde_json::Value> {
    /// The position in the feed: 1, 2, 3, … in commit order, without gaps.
    pub seq: i64,
    pub id: Uuid,
    /// [`EventKind::name`].
    pub event_type: String,
    pub source: String,
    /// `<collection>/<id>`, e.g. `submissions/0b6f3a52-…`.
    pub subject: String,
    /// When the change was made.
    pub time: DateTime<Utc>,
    /// The resource after the change, as the API answered the change.
    pub data: D,
    /// The resource's unit; `None` for an event every role may read.
    pub unit_id: Option<Uuid>,
}

/// An event read from the feed: its data the JSON text as stored, passed on to readers and
/// webhooks without being parsed into a tree (a page of a thousand forms would take tens of
/// megabytes as trees, for text of a few).
pub type StoredEvent = Event<Box<serde_json::value::RawValue>>;

/// A place in the feed: the `seq` of the last event a client has seen (0 before the first).
/// Clients treat it as an opaque string; today it is the decimal `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor(pub i64);

impl Cursor {
    /// Before every event.
    pub const START: Cursor = Cursor(0);

    /// Reads a cursor the service handed out: decimal digits only, at most 18 of them.
    pub fn parse(s: &str) -> Option<Cursor> {
        if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok().map(Cursor)
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whether events after `cursor` were deleted (by retention) before the client read them:
/// positions have no gaps, so the next event the client needs, `cursor + 1`, must still be
/// there — the first retained event, or the next one to come when none is retained.
pub fn expired(cursor: Cursor, first_retained: Option<i64>, last_seq: i64) -> bool {
    let first = first_retained.unwrap_or(last_seq + 1);
    cursor.0 + 1 < first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_workflow_action_names_its_event() {
        let none = || None;
        for (action, expected) in [
            ("period.open", Some("period.opened")),
            ("period.close", Some("period.closed")),
            ("period.publish", Some("period.published")),
            ("submission.submit", Some("submission.submitted")),
            ("submission.return", Some("submission.returned")),
            (
                "corrective_action.verify",
                Some("corrective_action.verified"),
            ),
            ("adjustment_request.approve", Some("adjustment.approved")),
            ("measure.create", Some("measure.decided")),
            ("item.copy", Some("item.created")),
            ("item.key_monitoring", Some("item.key_designated")),
            ("unit.create", None),
            ("indicator.update", None),
            ("auth.login", None),
            ("webhook.create", None),
            ("webhook.disable", None),
        ] {
            let got = match feed_of(action, none) {
                Feed::Emits(k) => Some(k.name),
                Feed::Silent => None,
                Feed::Unknown => panic!("{action} is not in the table"),
            };
            assert_eq!(got, expected, "{action}");
        }
        assert_eq!(feed_of("client.create", none), Feed::Unknown);
    }

    #[test]
    fn opening_a_closed_period_reopens_it() {
        for (before, expected) in [
            (Some("draft"), "period.opened"),
            (Some("closed"), "period.reopened"),
            (None, "period.opened"),
        ] {
            let Feed::Emits(k) = feed_of("period.open", || before.map(String::from)) else {
                panic!("period.open emits");
            };
            assert_eq!(k.name, expected, "{before:?}");
            assert_eq!(k.audience, Audience::Everyone);
        }
    }

    #[test]
    fn the_status_is_asked_for_only_where_it_decides() {
        let asked = std::cell::Cell::new(false);
        feed_of("submission.submit", || {
            asked.set(true);
            None
        });
        assert!(!asked.get());
    }

    #[test]
    fn every_emitted_type_is_documented() {
        let actions = [
            "period.open",
            "period.close",
            "period.publish",
            "submission.create",
            "submission.update",
            "submission.submit",
            "submission.return",
            "submission.accept",
            "corrective_action.create",
            "corrective_action.progress",
            "corrective_action.complete",
            "corrective_action.verify",
            "corrective_action.reopen",
            "adjustment_request.create",
            "adjustment_request.approve",
            "adjustment_request.reject",
            "adjustment_request.withdraw",
            "measure.create",
            "measure.lift",
            "item.create",
            "item.update",
            "item.key_monitoring",
        ];
        let mut seen: Vec<&str> = actions
            .iter()
            .filter_map(|a| match feed_of(a, || None) {
                Feed::Emits(k) => Some(k.name),
                _ => None,
            })
            .collect();
        if let Feed::Emits(k) = feed_of("period.open", || Some("closed".into())) {
            seen.push(k.name);
        }
        seen.sort_unstable();
        let mut documented = TYPES.to_vec();
        documented.sort_unstable();
        assert_eq!(seen, documented);
    }

    #[test]
    fn cursors_are_the_decimal_positions_handed_out() {
        for (s, expected) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("000042", Some(42)),
            ("999999999999999999", Some(999_999_999_999_999_999)),
            ("9999999999999999999", None),
            ("", None),
            ("-1", None),
            ("+1", None),
            ("1.5", None),
            (" 1", None),
            ("abc", None),
        ] {
            assert_eq!(Cursor::parse(s).map(|c| c.0), expected, "{s:?}");
        }
        assert_eq!(Cursor(42).to_string(), "42");
    }

    #[test]
    fn a_cursor_expires_once_the_event_after_it_is_gone() {
        for (cursor, first, last, expected) in [
            (0, Some(1), 5, false),
            (0, Some(2), 5, true),
            (1, Some(2), 5, false),
            (3, Some(5), 9, true),
            (4, Some(5), 9, false),
            (9, Some(5), 9, false),
            // Everything deleted: only a client that had seen the last event is current.
            (9, None, 9, false),
            (8, None, 9, true),
            (0, None, 0, false),
        ] {
            assert_eq!(
                expired(Cursor(cursor), first, last),
                expected,
                "{cursor} {first:?} {last}"
            );
        }
    }
}
