//! The warning of one submission and the reasons for its level (DESIGN §3).

use super::*;

/// One reason for a warning level, explaining itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reason {
    /// What kind of reason it is.
    pub code: ReasonCode,
    /// The level this reason raises the warning to (green: informational only).
    pub light: Light,
    /// The figure that triggered it (percent, rounded to 2 places), if there is one.
    pub value: Option<Decimal>,
    /// The threshold the figure crossed (percent), if there is one.
    pub threshold: Option<Decimal>,
    /// The indicator concerned, if it concerns one.
    pub indicator_id: Option<Uuid>,
    /// Free detail, e.g. the name of a compliance check.
    pub detail: Option<String>,
}

/// Everything the warning of one submission depends on.
#[derive(Debug, Clone, Copy)]
pub struct WarningInput<'a> {
    /// The budget light and its v, from [`budget_light`]; `None` for a zero budget.
    pub budget: Option<(Light, Decimal)>,
    /// The evaluated indicators, in the order their reasons should appear.
    pub indicators: &'a [IndicatorOutcome],
    /// Whether the annual goal will be met.
    pub outlook: Option<Possibility>,
    /// Names of the compliance checks that found a problem.
    pub compliance_problems: &'a [String],
    /// Whether the submission came after its deadline.
    pub late: bool,
    /// The period's thresholds, quoted in the reasons.
    pub thresholds: &'a Thresholds,
}

/// The warning level (red, yellow or green; never blue) and its reasons, in the order:
/// execution, indicators (input order), outlook, compliance, late.
///
/// The threshold of an `indicator_behind` reason is `red_below`/`yellow_below` for a
/// higher-better indicator, 100 (the actual is above its target) for a red lower-better one,
/// and absent where there is no ratio (qualitative indicators, zero targets). Outcomes are
/// told apart by their ratio: with valid thresholds a higher-better red or yellow ratio is below
/// 100 and a lower-better red one above it.
pub fn warning(input: &WarningInput) -> (Light, Vec<Reason>) {
    let t = input.thresholds;
    let mut reasons = Vec::new();
    if let Some((light, v)) = input.budget {
        reasons.extend(execution_reason(light, v, t));
    }
    reasons.extend(
        input
            .indicators
            .iter()
            .filter_map(|o| indicator_reason(o, t)),
    );
    if input.outlook == Some(Possibility::Impossible) {
        reasons.push(reason(ReasonCode::OutlookImpossible, Light::Red));
    }
    for check in input.compliance_problems {
        reasons.push(Reason {
            detail: Some(check.clone()),
            ..reason(ReasonCode::ComplianceProblem, Light::Red)
        });
    }
    if input.late {
        reasons.push(reason(ReasonCode::Late, Light::Green));
    }
    // The warning is the worst level a reason raises it to.
    let mut level = Light::Green;
    for r in &reasons {
        raise(&mut level, r.light);
    }
    (level, reasons)
}

/// A reason without a figure, a threshold or an indicator.
fn reason(code: ReasonCode, light: Light) -> Reason {
    Reason {
        code,
        light,
        value: None,
        threshold: None,
        indicator_id: None,
        detail: None,
    }
}

/// Execution behind time progress, when the budget light is red or yellow (blue counts as
/// green): v against the threshold it fell below.
fn execution_reason(light: Light, v: Decimal, t: &Thresholds) -> Option<Reason> {
    let threshold = match light {
        Light::Red => t.red_below,
        Light::Yellow => t.yellow_below,
        Light::Green | Light::Blue => return None,
    };
    Some(Reason {
        value: Some(round2(v)),
        threshold: Some(threshold),
        ..reason(ReasonCode::ExecutionBehindTime, light)
    })
}

/// An indicator behind (red or yellow) or over its target (blue, informational); none for a
/// green one.
fn indicator_reason(o: &IndicatorOutcome, t: &Thresholds) -> Option<Reason> {
    let value = Some(round2(o.ratio.unwrap_or(o.completion_rate)));
    let (code, light, threshold) = match o.light {
        Light::Red | Light::Yellow => (
            ReasonCode::IndicatorBehind,
            o.light,
            o.ratio.map(|r| behind_threshold(o.light, r, t)),
        ),
        Light::Blue => (
            ReasonCode::IndicatorOverTarget,
            Light::Green,
            Some(t.blue_from),
        ),
        Light::Green => return None,
    };
    Some(Reason {
        value,
        threshold,
        indicator_id: Some(o.id),
        ..reason(code, light)
    })
}

/// The threshold an indicator behind crossed: 100 for a red lower-better one (its ratio is
/// above 100), else the red or yellow threshold of a higher-better one.
fn behind_threshold(light: Light, ratio: Decimal, t: &Thresholds) -> Decimal {
    if light == Light::Red && ratio > Decimal::ONE_HUNDRED {
        Decimal::ONE_HUNDRED
    } else if light == Light::Red {
        t.red_below
    } else {
        t.yellow_below
    }
}

/// Raises `level` to `light` if that is worse.
fn raise(level: &mut Light, light: Light) {
    if light.severity() > level.severity() {
        *level = light;
    }
}

impl Light {
    /// How bad a light is for a warning: red, then yellow; blue (ahead of plan) counts as
    /// green. The one ranking of lights.
    pub fn severity(self) -> u8 {
        match self {
            Light::Red => 2,
            Light::Yellow => 1,
            Light::Green | Light::Blue => 0,
        }
    }
}

/// The worst of some lights by [`Light::severity`] (the last of equals); `None` for none.
pub fn worst(lights: impl IntoIterator<Item = Option<Light>>) -> Option<Light> {
    lights
        .into_iter()
        .flatten()
        .fold(None, |w: Option<Light>, l| match w {
            Some(w) if w.severity() > l.severity() => Some(w),
            _ => Some(l),
        })
}
