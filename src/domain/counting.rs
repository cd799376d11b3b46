//! The report's counting rules (DESIGN §5): each yuan counted once, and which forms count as
//! reported.

use super::item::ItemKind;
use super::workflow::SubmissionStatus;

/// The money lines of a report an item's budget counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lines {
    /// The whole: the unit's overall item, or its special funds and projects where the unit
    /// has no overall item.
    pub whole: bool,
    /// Of which (其中) the special funds.
    pub special_funds: bool,
    /// Of which (其中) the projects.
    pub projects: bool,
}

/// The lines an item counts in. An allocation to a subordinate unit (`allocated`: it has a
/// parent fund) is within its parent fund and never counted again; special funds and projects
/// count in the whole only for a unit without an overall item of the year.
pub fn lines_of(kind: ItemKind, allocated: bool, unit_has_overall: bool) -> Lines {
    if allocated {
        return Lines::default();
    }
    Lines {
        whole: kind == ItemKind::Overall || !unit_has_overall,
        special_funds: kind == ItemKind::SpecialFund,
        projects: kind == ItemKind::Project,
    }
}

/// Whether a form's figures count as reported: once submitted, also when returned (with its
/// last submitted figures) or accepted. A draft, or a form never filed (`None`), is not
/// reported: its budget is 未报送预算.
pub fn reported(status: Option<SubmissionStatus>) -> bool {
    matches!(
        status,
        Some(SubmissionStatus::Submitted | SubmissionStatus::Returned | SubmissionStatus::Accepted)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemKind::*;

    #[test]
    fn each_yuan_counts_once() {
        let l = |whole, special_funds, projects| Lines {
            whole,
            special_funds,
            projects,
        };
        // (kind, allocated, unit has an overall item) → lines
        let table = [
            (Overall, false, true, l(true, false, false)),
            (SpecialFund, false, true, l(false, true, false)),
            (Project, false, true, l(false, false, true)),
            (SpecialFund, false, false, l(true, true, false)),
            (Project, false, false, l(true, false, true)),
            (SpecialFund, true, true, l(false, false, false)),
            (SpecialFund, true, false, l(false, false, false)),
            (Project, true, false, l(false, false, false)),
        ];
        for (kind, allocated, has_overall, want) in table {
            assert_eq!(
                lines_of(kind, allocated, has_overall),
                want,
                "{kind:?} allocated={allocated} overall={has_overall}"
            );
        }
    }

    #[test]
    fn submitted_returned_and_accepted_forms_are_reported() {
        use SubmissionStatus::*;
        let table = [
            (None, false),
            (Some(Draft), false),
            (Some(Submitted), true),
            (Some(Returned), true),
            (Some(Accepted), true),
        ];
        for (status, want) in table {
            assert_eq!(reported(status), want, "{status:?}");
        }
    }
}
