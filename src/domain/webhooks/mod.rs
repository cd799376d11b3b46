//! Webhooks: the change feed pushed to endpoints the administrator registers. What an endpoint
//! is, which events it may ask for, when a failed delivery is tried again and when an endpoint
//! is disabled. The delivery itself is `delivery/`; signing is [`signature`], where deliveries
//! may go is [`target`].

pub mod signature;
pub mod target;

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::events::TYPES;
use super::Violations;

pub use target::TargetPolicy;

/// An endpoint, without its secret (serialized as the audit trail shows it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    /// The event types delivered to it (of [`TYPES`]).
    pub event_types: Vec<String>,
    /// A disabled endpoint gets no deliveries; events while it is disabled are not queued.
    pub enabled: bool,
    /// Why the service disabled it, if it did (not set when the administrator did).
    pub disabled_reason: Option<String>,
    /// Failed attempts since its last success (any delivery).
    pub consecutive_failures: i32,
    pub secret_created_at: DateTime<Utc>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

crate::closed_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus {
        /// Not yet delivered: waiting for its next attempt.
        Pending => "pending",
        /// An attempt got a 2xx answer.
        Delivered => "delivered",
        /// Every attempt of the schedule failed, or the endpoint answered 410 Gone.
        Failed => "failed",
    }
}

/// One event to deliver to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Delivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// The event's place in the feed.
    pub event_seq: i64,
    /// The event's id: the `webhook-id` of every attempt.
    pub event_id: Uuid,
    pub event_type: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When the next attempt is due (for a pending delivery).
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One attempt at a delivery, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub delivery_id: Uuid,
    /// 1 for the first attempt of its delivery.
    pub attempt: i32,
    /// The endpoint's HTTP status, when it answered.
    pub status_code: Option<u16>,
    pub latency_ms: i64,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// The media type of every delivery: the CloudEvent in the structured content mode of the
/// CloudEvents HTTP binding.
pub const CONTENT_TYPE: &str = "application/cloudevents+json";

/// The waits before the 2nd, 3rd, … attempt: ten attempts in all over about three days
/// (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h: 75 h 35 min 5 s after the first).
pub const SCHEDULE: [Duration; 9] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(14 * 3600),
    Duration::from_secs(20 * 3600),
    Duration::from_secs(24 * 3600),
];

/// How much a wait varies at random (±20%), so that endpoints that failed together are not
/// all tried again at the same instant.
pub const JITTER: f64 = 0.2;

/// The wait after failed attempt number `attempt` (1 = the first), or `None` when that was the
/// last. `scale` shrinks the schedule (1 in production; tests run it in milliseconds) and
/// `jitter` is a number in [-1, 1] (random in production).
pub fn retry_after(attempt: i32, scale: f64, jitter: f64) -> Option<Duration> {
    let base = SCHEDULE.get(usize::try_from(attempt).ok()?.checked_sub(1)?)?;
    let factor = scale * (1.0 + JITTER * jitter.clamp(-1.0, 1.0));
    Some(base.mul_f64(factor))
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx answer: the delivery is done and the endpoint's failures are forgotten.
    Delivered,
    /// 410 Gone: the endpoint says it is no more; it is disabled at once.
    Gone,
    /// Anything else (another status, a timeout, a refused address, …): try again later.
    Failed,
}

impl Verdict {
    /// The verdict on an answer with `status`, or on no answer (`None`).
    pub fn of(status: Option<u16>) -> Self {
        match status {
            Some(s) if (200..300).contains(&s) => Verdict::Delivered,
            Some(410) => Verdict::Gone,
            _ => Verdict::Failed,
        }
    }
}

/// Why the service disables an endpoint after an attempt, if it does: it answered 410, or
/// this was its `max_failures`-th failure in a row.
pub fn disable_reason(
    verdict: Verdict,
    failures_in_a_row: i32,
    max_failures: u32,
) -> Option<String> {
    match verdict {
        Verdict::Delivered => None,
        Verdict::Gone => Some("the endpoint answered 410 Gone".into()),
        Verdict::Failed if i64::from(failures_in_a_row) >= i64::from(max_failures) => Some(
            format!("{failures_in_a_row} failed delivery attempts in a row"),
        ),
        Verdict::Failed => None,
    }
}

/// Checks the event types an endpoint asks for: at least one, each a type of the change feed,
/// none twice. Returns them in the feed's order.
pub fn event_types(v: &mut Violations, field: &str, wanted: &[String]) -> Vec<String> {
    if wanted.is_empty() {
        v.add(field, "required", "name at least one event type");
    }
    for (i, t) in wanted.iter().enumerate() {
        if !TYPES.contains(&t.as_str()) {
            v.add(
                format!("{field}[{i}]"),
                "unknown_event_type",
                format!(
                    "is not an event type of the change feed: {}",
                    TYPES.join(", ")
                ),
            );
        } else if wanted[..i].contains(t) {
            v.add(format!("{field}[{i}]"), "duplicate", "is listed twice");
        }
    }
    TYPES
        .iter()
        .filter(|t| wanted.iter().any(|w| w == *t))
        .map(|t| t.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_for_about_three_days() {
        for (attempt, expected) in [
            (1, Some(5)),
            (2, Some(300)),
            (3, Some(1800)),
            (9, Some(86400)),
            (10, None),
            (0, None),
            (-1, None),
        ] {
            let got = retry_after(attempt, 1.0, 0.0).map(|d| d.as_secs());
            assert_eq!(got, expected, "{attempt}");
        }
        let total: u64 = SCHEDULE.iter().map(Duration::as_secs).sum();
        assert_eq!(total, 75 * 3600 + 35 * 60 + 5);
    }

    #[test]
    fn jitter_and_scale_bend_the_wait() {
        for (scale, jitter, expected_ms) in [
            (1.0, 1.0, 6000),
            (1.0, -1.0, 4000),
            (1.0, 7.0, 6000),
            (0.001, 0.0, 5),
        ] {
            let got = retry_after(1, scale, jitter).unwrap().as_millis();
            assert_eq!(got, expected_ms, "{scale} {jitter}");
        }
    }

    #[test]
    fn answers_decide_the_delivery() {
        for (status, verdict) in [
            (Some(200), Verdict::Delivered),
            (Some(204), Verdict::Delivered),
            (Some(299), Verdict::Delivered),
            (Some(301), Verdict::Failed),
            (Some(410), Verdict::Gone),
            (Some(500), Verdict::Failed),
            (None, Verdict::Failed),
        ] {
            assert_eq!(Verdict::of(status), verdict, "{status:?}");
        }
    }

    #[test]
    fn an_endpoint_is_disabled_when_gone_or_after_too_many_failures() {
        for (verdict, in_a_row, max, disabled) in [
            (Verdict::Failed, 2, 3, false),
            (Verdict::Failed, 3, 3, true),
            (Verdict::Failed, 4, 3, true),
            (Verdict::Gone, 1, 3, true),
            (Verdict::Delivered, 0, 3, false),
        ] {
            assert_eq!(
                disable_reason(verdict, in_a_row, max).is_some(),
                disabled,
                "{verdict:?} {in_a_row}"
            );
        }
    }

    #[test]
    fn endpoints_ask_for_known_event_types_once() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        for (wanted, codes) in [
            (s(&["submission.submitted", "period.opened"]), vec![]),
            (s(&[]), vec!["required"]),
            (s(&["submission.sent"]), vec!["unknown_event_type"]),
            (s(&["period.opened", "period.opened"]), vec!["duplicate"]),
        ] {
            let mut v = Violations::new();
            event_types(&mut v, "event_types", &wanted);
            let got: Vec<_> = v.0.iter().map(|e| e.code.as_str()).collect();
            assert_eq!(got, codes, "{wanted:?}");
        }
        let mut v = Violations::new();
        let ordered = event_types(&mut v, "t", &s(&["submission.submitted", "period.opened"]));
        assert_eq!(ordered, s(&["period.opened", "submission.submitted"]));
    }
}
