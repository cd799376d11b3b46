//! Sign-in throttling and the gate on denied-request audit events, over the database counters of
//! `persistence::rate_limits` (so every instance behind a load balancer counts alike).
//!
//! A sign-in attempt takes its place in two counters before its password is checked: one for
//! its username from its client address, one for its address across usernames. The count each
//! increment returns decides at once whether the attempt may go on; parallel attempts each get
//! their own count, so no more than the limit ever reach the password check. A successful
//! sign-in clears its username's counter for its address and gives back its place in the
//! address's counter; failures stay counted until their window ends.

use sea_orm::{DbErr, TransactionSession, TransactionTrait};

use crate::domain::throttle::{self, Verdict};
use crate::persistence::audit::{self, Actor, Entry, Origin};
use crate::persistence::rate_limits;

/// What an attempt reserved: given back (in part) when it succeeds.
#[derive(Debug, Clone)]
pub struct LoginSlot {
    account: String,
    address: String,
    window_start: i64,
}

/// Whether a sign-in attempt may go on to the password check.
#[derive(Debug)]
pub enum LoginCharge {
    Go(LoginSlot),
    Throttled { retry_after: u64 },
}

/// The audit entry of a sign-in attempt.
pub fn login_entry(
    action: &'static str,
    outcome: &'static str,
    user_id: Option<uuid::Uuid>,
    after: serde_json::Value,
) -> Entry {
    Entry {
        action,
        resource_type: "session",
        resource_id: user_id.map(|u| u.to_string()),
        outcome,
        before: None,
        after: Some(after),
    }
}

/// The address as counters name it.
pub fn addr_key(origin: &Origin) -> &str {
    origin.client_addr.as_deref().unwrap_or("unknown")
}

/// Counts one sign-in attempt for `username` from the origin's address, before its password is
/// checked. The first attempt over a limit in a window writes one `auth.login_throttled` event;
/// later ones are only counted.
#[tracing::instrument(skip_all)]
pub async fn charge_login(
    db: &impl TransactionTrait,
    origin: &Origin,
    username: &str,
    now_secs: i64,
) -> Result<LoginCharge, DbErr> {
    let addr = addr_key(origin);
    let w = throttle::window_start(now_secs);
    let account = throttle::login_account_bucket(username, addr);
    let address = throttle::login_address_bucket(addr);
    let txn = db.begin().await?;
    let n = rate_limits::hit(&txn, &account, w).await?;
    let (verdict, limit) = match Verdict::of(n, throttle::MAX_FAILED_LOGINS_PER_ACCOUNT) {
        // An attempt already refused for its username does not count against its address.
        Verdict::Allowed => {
            let m = rate_limits::hit(&txn, &address, w).await?;
            (
                Verdict::of(m, throttle::MAX_FAILED_LOGINS_PER_ADDRESS),
                "address",
            )
        }
        v => (v, "account"),
    };
    if n == 1 {
        // The first attempt of this username from this address in the window: a good moment
        // to forget windows that have ended.
        rate_limits::purge_before(&txn, w).await?;
    }
    if verdict == Verdict::FirstRefused {
        let after = serde_json::json!({"username": username, "limit": limit});
        let entry = login_entry("auth.login_throttled", "denied", None, after);
        audit::record(&txn, &Actor::default(), origin, entry).await?;
    }
    txn.commit().await?;
    Ok(match verdict {
        Verdict::Allowed => LoginCharge::Go(LoginSlot {
            account,
            address,
            window_start: w,
        }),
        _ => LoginCharge::Throttled {
            retry_after: throttle::retry_after(w, now_secs),
        },
    })
}

/// After a successful sign-in: its username's failures from its address are forgotten and its
/// own place in the address's counter is given back (the address's other failures stay).
pub async fn login_succeeded(
    db: &impl sea_orm::ConnectionTrait,
    slot: &LoginSlot,
) -> Result<(), DbErr> {
    rate_limits::clear(db, &slot.account).await?;
    rate_limits::give_back(db, &slot.address, slot.window_start).await
}

/// Counts one denied request of `subject` from the origin's address; true while it is among the
/// first [`throttle::MAX_DENIED_EVENTS`] of the window (write its audit event), false beyond
/// (counted only).
pub async fn count_denied(
    db: &impl sea_orm::ConnectionTrait,
    origin: &Origin,
    subject: &str,
    now_secs: i64,
) -> Result<bool, DbErr> {
    let w = throttle::window_start(now_secs);
    let bucket = throttle::denied_bucket(subject, addr_key(origin));
    let n = rate_limits::hit(db, &bucket, w).await?;
    Ok(Verdict::of(n, throttle::MAX_DENIED_EVENTS).allowed())
}
