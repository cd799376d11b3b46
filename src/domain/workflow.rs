//! The status machines of submissions and periods (DESIGN §2, §3).

use crate::closed_enum;

closed_enum! {
    /// Where a submission stands in review.
    pub enum SubmissionStatus {
        /// Being filled in by the unit.
        Draft => "draft",
        /// Handed in, waiting for finance.
        Submitted => "submitted",
        /// Sent back by finance with a reason, to be edited and submitted again.
        Returned => "returned",
        /// Accepted by finance; immutable.
        Accepted => "accepted",
    }
}

closed_enum! {
    /// Where a monitoring period stands.
    pub enum PeriodStatus {
        /// Being set up; settings still editable.
        Draft => "draft",
        /// Taking submissions.
        Open => "open",
        /// No longer taking submissions; may be reopened.
        Closed => "closed",
        /// Its report is published and frozen.
        Published => "published",
    }
}

/// A status change the machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// `action` is not possible from status `from` of a `what` (e.g. a submission).
    #[error("cannot {action} a {what} that is {from}")]
    NotAllowed {
        /// The kind of object: `submission` or `period`.
        what: &'static str,
        /// The action tried, e.g. `submit`.
        action: &'static str,
        /// The status it was in.
        from: &'static str,
    },
}

impl SubmissionStatus {
    fn go(self, action: &'static str, allowed: bool, to: Self) -> Result<Self, TransitionError> {
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError::NotAllowed {
                what: "submission",
                action,
                from: self.as_str(),
            })
        }
    }

    /// The unit hands the form in: draft or returned → submitted.
    pub fn submit(self) -> Result<Self, TransitionError> {
        self.go("submit", self.is_editable(), SubmissionStatus::Submitted)
    }

    /// Finance accepts it: submitted → accepted.
    pub fn accept(self) -> Result<Self, TransitionError> {
        self.go(
            "accept",
            self == SubmissionStatus::Submitted,
            SubmissionStatus::Accepted,
        )
    }

    /// Finance sends it back: submitted → returned.
    pub fn return_(self) -> Result<Self, TransitionError> {
        self.go(
            "return",
            self == SubmissionStatus::Submitted,
            SubmissionStatus::Returned,
        )
    }

    /// Whether the unit may edit its content: while draft or returned.
    pub fn is_editable(self) -> bool {
        matches!(self, SubmissionStatus::Draft | SubmissionStatus::Returned)
    }
}

impl PeriodStatus {
    fn go(self, action: &'static str, allowed: bool, to: Self) -> Result<Self, TransitionError> {
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError::NotAllowed {
                what: "period",
                action,
                from: self.as_str(),
            })
        }
    }

    /// Opens it for submissions: draft or closed (reopening) → open.
    pub fn open(self) -> Result<Self, TransitionError> {
        self.go(
            "open",
            matches!(self, PeriodStatus::Draft | PeriodStatus::Closed),
            PeriodStatus::Open,
        )
    }

    /// Stops taking submissions: open → closed.
    pub fn close(self) -> Result<Self, TransitionError> {
        self.go("close", self == PeriodStatus::Open, PeriodStatus::Closed)
    }

    /// Publishes and freezes the report: closed → published.
    pub fn publish(self) -> Result<Self, TransitionError> {
        self.go(
            "publish",
            self == PeriodStatus::Closed,
            PeriodStatus::Published,
        )
    }

    /// Whether its settings may be edited: while draft only.
    pub fn is_editable(self) -> bool {
        self == PeriodStatus::Draft
    }

    /// Whether submissions may be created and submitted: while open only.
    pub fn accepts_submissions(self) -> bool {
        self == PeriodStatus::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_submission_transition() {
        use SubmissionStatus::*;
        type Action = fn(SubmissionStatus) -> Result<SubmissionStatus, TransitionError>;
        let actions: [(&str, Action); 3] = [
            ("submit", SubmissionStatus::submit),
            ("accept", SubmissionStatus::accept),
            ("return", SubmissionStatus::return_),
        ];
        for (from, action, expected) in [
            (Draft, "submit", Some(Submitted)),
            (Draft, "accept", None),
            (Draft, "return", None),
            (Submitted, "submit", None),
            (Submitted, "accept", Some(Accepted)),
            (Submitted, "return", Some(Returned)),
            (Returned, "submit", Some(Submitted)),
            (Returned, "accept", None),
            (Returned, "return", None),
            (Accepted, "submit", None),
            (Accepted, "accept", None),
            (Accepted, "return", None),
        ] {
            let (name, f) = *actions.iter().find(|(n, _)| *n == action).unwrap();
            let want = expected.ok_or(TransitionError::NotAllowed {
                what: "submission",
                action: name,
                from: from.as_str(),
            });
            assert_eq!(f(from), want, "{action} from {from}");
        }
    }

    #[test]
    fn every_period_transition() {
        use PeriodStatus::*;
        type Action = fn(PeriodStatus) -> Result<PeriodStatus, TransitionError>;
        let actions: [(&str, Action); 3] = [
            ("open", PeriodStatus::open),
            ("close", PeriodStatus::close),
            ("publish", PeriodStatus::publish),
        ];
        for (from, action, expected) in [
            (Draft, "open", Some(Open)),
            (Draft, "close", None),
            (Draft, "publish", None),
            (Open, "open", None),
            (Open, "close", Some(Closed)),
            (Open, "publish", None),
            (Closed, "open", Some(Open)),
            (Closed, "close", None),
            (Closed, "publish", Some(Published)),
            (Published, "open", None),
            (Published, "close", None),
            (Published, "publish", None),
        ] {
            let (name, f) = *actions.iter().find(|(n, _)| *n == action).unwrap();
            let want = expected.ok_or(TransitionError::NotAllowed {
                what: "period",
                action: name,
                from: from.as_str(),
            });
            assert_eq!(f(from), want, "{action} from {from}");
        }
    }

    #[test]
    fn editability_and_openness() {
        for (status, editable) in [
            (SubmissionStatus::Draft, true),
            (SubmissionStatus::Submitted, false),
            (SubmissionStatus::Returned, true),
            (SubmissionStatus::Accepted, false),
        ] {
            assert_eq!(status.is_editable(), editable, "{status}");
        }
        for (status, editable, accepts) in [
            (PeriodStatus::Draft, true, false),
            (PeriodStatus::Open, false, true),
            (PeriodStatus::Closed, false, false),
            (PeriodStatus::Published, false, false),
        ] {
            assert_eq!(status.is_editable(), editable, "{status}");
            assert_eq!(status.accepts_submissions(), accepts, "{status}");
        }
    }

    #[test]
    fn errors_read_as_sentences() {
        assert_eq!(
            SubmissionStatus::Accepted.submit().unwrap_err().to_string(),
            "cannot submit a submission that is accepted"
        );
        assert_eq!(
            PeriodStatus::Published.publish().unwrap_err().to_string(),
            "cannot publish a period that is published"
        );
    }

    #[test]
    fn statuses_parse_from_their_names() {
        for s in SubmissionStatus::ALL {
            assert_eq!(s.as_str().parse::<SubmissionStatus>().unwrap(), *s);
        }
        for s in PeriodStatus::ALL {
            assert_eq!(s.as_str().parse::<PeriodStatus>().unwrap(), *s);
        }
        assert!("rejected".parse::<SubmissionStatus>().is_err());
    }
}
