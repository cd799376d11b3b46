//! The rules of rate limiting: fixed 15-minute windows, named counters ("buckets") and their
//! limits. The counting itself is one atomic statement in the database (`persistence::rate_limits`);
//! this module decides what a count means.

/// Length of one counting window. Windows are fixed: they start at multiples of this many
/// seconds since the Unix epoch, and every counter starts again from zero in the next one.
pub const WINDOW_SECS: i64 = 15 * 60;

/// Sign-in attempts that may fail for one username from one client address in one window.
pub const MAX_FAILED_LOGINS_PER_ACCOUNT: i64 = 5;

/// Sign-in attempts that may fail from one client address in one window, whatever the usernames.
pub const MAX_FAILED_LOGINS_PER_ADDRESS: i64 = 20;

/// Denied requests audited one by one per caller (user or token subject) and client address in
/// one window; beyond that they are only counted.
pub const MAX_DENIED_EVENTS: i64 = 5;

/// The start (Unix seconds) of the window that holds `now_secs`.
pub fn window_start(now_secs: i64) -> i64 {
    now_secs.div_euclid(WINDOW_SECS) * WINDOW_SECS
}

/// Whole seconds from `now_secs` until the window starting at `window_start` ends (at least 1).
pub fn retry_after(window_start: i64, now_secs: i64) -> u64 {
    (window_start + WINDOW_SECS - now_secs).max(1) as u64
}

/// What the count returned by an increment means for the attempt that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within the limit.
    Allowed,
    /// The first attempt over the limit in this window: refused, and worth one audit event.
    FirstRefused,
    /// Refused again: counted only.
    Refused,
}

impl Verdict {
    /// The verdict for the `count`-th attempt in a window against `limit`.
    pub fn of(count: i64, limit: i64) -> Self {
        if count <= limit {
            Verdict::Allowed
        } else if count == limit + 1 {
            Verdict::FirstRefused
        } else {
            Verdict::Refused
        }
    }

    pub fn allowed(self) -> bool {
        self == Verdict::Allowed
    }
}

// An address never contains `/`, so the address and the name after it cannot run together.

/// The counter of sign-in attempts for one username from one address.
pub fn login_account_bucket(username: &str, addr: &str) -> String {
    format!("login:{addr}/{username}")
}

/// The counter of sign-in attempts from one address, across usernames.
pub fn login_address_bucket(addr: &str) -> String {
    format!("login-addr:{addr}")
}

/// The counter of denied requests of one caller (user or token subject) from one address.
pub fn denied_bucket(subject: &str, addr: &str) -> String {
    format!("denied:{addr}/{subject}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_fixed_quarter_hours() {
        for (now, start, wait) in [
            (0, 0, 900),
            (899, 0, 1),
            (900, 900, 900),
            (1_782_900_123, 1_782_900_000, 777),
            (-1, -900, 1),
        ] {
            assert_eq!(window_start(now), start, "{now}");
            assert_eq!(retry_after(start, now), wait, "{now}");
        }
        // A window that already ended (an attempt counted just before the boundary) still
        // tells the client to wait a second rather than zero.
        assert_eq!(retry_after(0, 950), 1);
    }

    #[test]
    fn the_first_count_over_the_limit_is_told_apart_from_the_rest() {
        for (count, verdict) in [
            (1, Verdict::Allowed),
            (5, Verdict::Allowed),
            (6, Verdict::FirstRefused),
            (7, Verdict::Refused),
            (500, Verdict::Refused),
        ] {
            assert_eq!(Verdict::of(count, 5), verdict, "{count}");
        }
    }

    #[test]
    fn buckets_keep_scopes_apart() {
        let a = login_account_bucket("admin", "10.0.0.1");
        let b = login_address_bucket("10.0.0.1");
        let c = denied_bucket("admin", "10.0.0.1");
        assert!(a != b && b != c && a != c);
        assert_ne!(
            login_account_bucket("admin", "10.0.0.1"),
            login_account_bucket("admin", "10.0.0.2")
        );
    }
}
