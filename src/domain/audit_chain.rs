//! The audit trail's hash chain: the canonical encoding of one event, its SHA-256, and the walk
//! that checks a chain event by event and names the first event that does not fit.
//!
//! Event n carries `seq = n`, `prev_hash` = the hash of event n − 1 (64 zeros for the first)
//! and `hash` = SHA-256 of [`ChainedEvent::encode`], lowercase hex. The encoding (version
//! `bm-audit-v1`) is a compact JSON array of every stored field in a fixed order:
//!
//! ```text
//! ["bm-audit-v1", seq, prev_hash, id, occurred_at, actor_id, actor_username, actor_role,
//!  actor_unit_id, action, resource_type, resource_id, request_id, client_request_id,
//!  client_addr, outcome, before, after]
//! ```
//!
//! `seq` is a JSON number; uuids are lowercase hyphenated strings; `occurred_at` is UTC with
//! exactly six fractional digits and `Z` (`2026-07-08T02:15:00.000000Z`); absent values are
//! `null`; `before`/`after` are JSON with object keys sorted by code point at every depth and no
//! whitespace (serde_json's rendering of numbers and strings). The migration that chained the
//! events written before the chain existed carries a frozen copy of this encoding.

use chrono::{DateTime, Utc};
use serde::ser::{SerializeMap, SerializeTuple};
use serde::{Serialize, Serializer};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The encoding's version tag, the first element of the encoded array.
pub const ENCODING: &str = "bm-audit-v1";

/// Every stored field of one audit event.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEvent {
    pub seq: i64,
    pub prev_hash: String,
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_username: Option<String>,
    pub actor_role: Option<String>,
    pub actor_unit_id: Option<Uuid>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub request_id: String,
    pub client_request_id: Option<String>,
    pub client_addr: Option<String>,
    pub outcome: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// A JSON value written with the keys of every object sorted, at every depth, so that a value
/// reads back the same whatever order the database keeps keys in (PostgreSQL's `jsonb` keeps
/// its own). Written straight from the value, without a sorted copy of it.
pub struct Canonical<'a>(pub &'a Value);

impl Serialize for Canonical<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                let mut out = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    out.serialize_entry(k, &Canonical(v))?;
                }
                out.end()
            }
            Value::Array(items) => s.collect_seq(items.iter().map(Canonical)),
            other => other.serialize(s),
        }
    }
}

/// An instant as the encoding writes it: UTC, microseconds, `Z`.
pub fn encode_instant(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The encoded array of one event's fields (see the module documentation).
struct Encoding<'a>(&'a ChainedEvent);

impl Serialize for Encoding<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let uuid = |u: Option<Uuid>| u.map(|u| u.hyphenated());
        let mut t = s.serialize_tuple(18)?;
        t.serialize_element(ENCODING)?;
        t.serialize_element(&e.seq)?;
        t.serialize_element(&e.prev_hash)?;
        t.serialize_element(&e.id.hyphenated())?;
        t.serialize_element(&encode_instant(e.occurred_at))?;
        t.serialize_element(&uuid(e.actor_id))?;
        t.serialize_element(&e.actor_username)?;
        t.serialize_element(&e.actor_role)?;
        t.serialize_element(&uuid(e.actor_unit_id))?;
        t.serialize_element(&e.action)?;
        t.serialize_element(&e.resource_type)?;
        t.serialize_element(&e.resource_id)?;
        t.serialize_element(&e.request_id)?;
        t.serialize_element(&e.client_request_id)?;
        t.serialize_element(&e.client_addr)?;
        t.serialize_element(&e.outcome)?;
        t.serialize_element(&e.before.as_ref().map(Canonical))?;
        t.serialize_element(&e.after.as_ref().map(Canonical))?;
        t.end()
    }
}

impl ChainedEvent {
    /// The canonical encoding the hash is taken over (see the module documentation).
    pub fn encode(&self) -> String {
        // Writing strings, numbers and `Value`s into a `String` cannot fail.
        serde_json::to_string(&Encoding(self)).unwrap_or_default()
    }

    /// SHA-256 of the encoding, lowercase hex.
    pub fn compute_hash(&self) -> String {
        sha256_hex(self.encode().as_bytes())
    }
}

/// SHA-256, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Why an event does not fit the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// The event's seq is past the next expected one: the events between were deleted.
    MissingSeq,
    /// The event's seq repeats or goes back.
    DuplicateSeq,
    /// The event's `prev_hash` is not the previous event's hash.
    BrokenLink,
    /// The event's fields do not hash to its stored `hash`: it was changed.
    HashMismatch,
    /// The chain's head records more events than the table holds: the last ones were deleted.
    MissingTail,
    /// The chain's head records another last hash than the last event's.
    HeadMismatch,
}

impl BreakReason {
    pub fn as_str(&self) -> &'static str {
        match self {
            BreakReason::MissingSeq => "missing_seq",
            BreakReason::DuplicateSeq => "duplicate_seq",
            BreakReason::BrokenLink => "broken_link",
            BreakReason::HashMismatch => "hash_mismatch",
            BreakReason::MissingTail => "missing_tail",
            BreakReason::HeadMismatch => "head_mismatch",
        }
    }
}

/// The first place where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The event named, when the break is at a stored event (not for a missing tail).
    pub event_id: Option<Uuid>,
    /// The seq of the event named, or the first missing seq for a missing tail.
    pub seq: i64,
    /// The seq expected at this place.
    pub expected_seq: i64,
    pub reason: BreakReason,
    /// A sentence for people.
    pub message: String,
}

/// The result of checking a whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events checked and found intact (up to the first break).
    pub checked: u64,
    /// The seq and hash of the last intact event (0 and the genesis hash for none).
    pub last_seq: i64,
    pub last_hash: String,
    /// The number of events the chain's head records.
    pub head_seq: i64,
    /// The first event that does not fit, if any.
    pub first_break: Option<ChainBreak>,
}

/// Walks a chain in seq order, one event at a time, keeping only the last seq and hash.
#[derive(Debug, Clone)]
pub struct ChainWalk {
    last_seq: i64,
    last_hash: String,
    checked: u64,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk {
            last_seq: 0,
            last_hash: GENESIS_HASH.into(),
            checked: 0,
        }
    }
}

impl ChainWalk {
    /// Checks the next event (in seq order) against the chain so far.
    pub fn step(&mut self, e: &ChainedEvent, stored_hash: &str) -> Result<(), ChainBreak> {
        let expected = self.last_seq + 1;
        let brk = |reason: BreakReason, message: String| ChainBreak {
            event_id: Some(e.id),
            seq: e.seq,
            expected_seq: expected,
            reason,
            message,
        };
        if e.seq > expected {
            let missing = if e.seq == expected + 1 {
                format!("seq {expected} is missing")
            } else {
                format!("seqs {expected} to {} are missing", e.seq - 1)
            };
            return Err(brk(
                BreakReason::MissingSeq,
                format!(
                    "event {} (seq {}): {missing} before it (deleted)",
                    e.id, e.seq
                ),
            ));
        }
        if e.seq < expected {
            return Err(brk(
                BreakReason::DuplicateSeq,
                format!(
                    "event {} (seq {}): seq {} was expected; this seq repeats",
                    e.id, e.seq, expected
                ),
            ));
        }
        if e.prev_hash != self.last_hash {
            return Err(brk(
                BreakReason::BrokenLink,
                format!(
                    "event {} (seq {}): prev_hash is not the hash of the event before it",
                    e.id, e.seq
                ),
            ));
        }
        let computed = e.compute_hash();
        if computed != stored_hash {
            return Err(brk(
                BreakReason::HashMismatch,
                format!(
                    "event {} (seq {}): its fields do not match its hash (changed after it was written)",
                    e.id, e.seq
                ),
            ));
        }
        self.last_seq = e.seq;
        self.last_hash = computed;
        self.checked += 1;
        Ok(())
    }

    /// Checks the end of the walk against the chain's head (last seq and hash recorded with
    /// the last insert).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), ChainBreak> {
        if head_seq > self.last_seq {
            return Err(ChainBreak {
                event_id: None,
                seq: self.last_seq + 1,
                expected_seq: self.last_seq + 1,
                reason: BreakReason::MissingTail,
                message: format!(
                    "the chain's head records {head_seq} events but the trail ends at seq {}: the last events were deleted",
                    self.last_seq
                ),
            });
        }
        if head_hash != self.last_hash {
            return Err(ChainBreak {
                event_id: None,
                seq: self.last_seq,
                expected_seq: self.last_seq,
                reason: BreakReason::HeadMismatch,
                message: format!(
                    "the chain's head records another hash than that of the last event (seq {})",
                    self.last_seq
                ),
            });
        }
        Ok(())
    }

    pub fn last_seq(&self) -> i64 {
        self.last_seq
    }

    pub fn last_hash(&self) -> &str {
        &self.last_hash
    }

    /// Events checked and found intact.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

#[cfg(test)]
#[path = "audit_chain_tests.rs"]
mod tests;
