//! The wire types of `/periods`: what clients send and get back.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::periods::{PeriodChanges, PeriodInput};
use crate::domain::monitoring::{GradeValues, Thresholds};
use crate::domain::period::{Extension, Period, PeriodKind};
use crate::domain::workflow::PeriodStatus;
use crate::domain::IsoDate;
use crate::http::respond::Resource;

/// Light thresholds in percent (DESIGN §3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"red_below": "60", "yellow_below": "80", "blue_from": "120", "note_from": "130"}))]
pub struct ThresholdsDto {
    /// Red below this ratio.
    #[schema(value_type = String, example = "60")]
    pub red_below: rust_decimal::Decimal,
    /// Yellow below this ratio, green from it.
    #[schema(value_type = String, example = "80")]
    pub yellow_below: rust_decimal::Decimal,
    /// Blue (over-achievement) from this ratio.
    #[schema(value_type = String, example = "120")]
    pub blue_from: rust_decimal::Decimal,
    /// An actual at or above this percentage of its target needs a note before submitting.
    #[schema(value_type = String, example = "130")]
    pub note_from: rust_decimal::Decimal,
}

/// Completion percentage of each qualitative grade.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"achieved": "100", "partly_achieved": "60", "not_achieved": "0"}))]
pub struct GradeValuesDto {
    #[schema(value_type = String, example = "100")]
    pub achieved: rust_decimal::Decimal,
    #[schema(value_type = String, example = "60")]
    pub partly_achieved: rust_decimal::Decimal,
    #[schema(value_type = String, example = "0")]
    pub not_achieved: rust_decimal::Decimal,
}

impl From<Thresholds> for ThresholdsDto {
    fn from(t: Thresholds) -> Self {
        ThresholdsDto {
            red_below: t.red_below,
            yellow_below: t.yellow_below,
            blue_from: t.blue_from,
            note_from: t.note_from,
        }
    }
}
impl From<ThresholdsDto> for Thresholds {
    fn from(t: ThresholdsDto) -> Self {
        Thresholds {
            red_below: t.red_below,
            yellow_below: t.yellow_below,
            blue_from: t.blue_from,
            note_from: t.note_from,
        }
    }
}
impl From<GradeValues> for GradeValuesDto {
    fn from(g: GradeValues) -> Self {
        GradeValuesDto {
            achieved: g.achieved,
            partly_achieved: g.partly_achieved,
            not_achieved: g.not_achieved,
        }
    }
}
impl From<GradeValuesDto> for GradeValues {
    fn from(g: GradeValuesDto) -> Self {
        GradeValues {
            achieved: g.achieved,
            partly_achieved: g.partly_achieved,
            not_achieved: g.not_achieved,
        }
    }
}

/// A monitoring period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "year": 2026, "kind": "h1", "name": "2026年上半年预算绩效运行监控",
    "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31", "status": "open",
    "thresholds": {"red_below": "60", "yellow_below": "80", "blue_from": "120", "note_from": "130"},
    "grade_values": {"achieved": "100", "partly_achieved": "60", "not_achieved": "0"},
    "version": 2, "created_at": "2026-06-01T08:00:00Z", "updated_at": "2026-06-20T08:00:00Z"
}))]
pub struct PeriodResponse {
    pub id: Uuid,
    pub year: i32,
    pub kind: PeriodKind,
    pub name: String,
    /// Data cut-off (e.g. June 30).
    pub as_of: NaiveDate,
    /// Forms are due by the end of this day, local time.
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub status: PeriodStatus,
    pub thresholds: ThresholdsDto,
    pub grade_values: GradeValuesDto,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Period> for PeriodResponse {
    fn from(p: Period) -> Self {
        PeriodResponse {
            id: p.id,
            year: p.year,
            kind: p.kind,
            name: p.name,
            as_of: p.as_of,
            submission_deadline: p.submission_deadline,
            report_deadline: p.report_deadline,
            status: p.status,
            thresholds: p.thresholds.into(),
            grade_values: p.grade_values.into(),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A new period; thresholds and grade values default to DESIGN §3's.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"}))]
pub struct CreatePeriodRequest {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    pub kind: PeriodKind,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub as_of: IsoDate,
    pub submission_deadline: IsoDate,
    pub report_deadline: IsoDate,
    #[serde(default)]
    pub thresholds: Option<ThresholdsDto>,
    #[serde(default)]
    pub grade_values: Option<GradeValuesDto>,
}

/// Changes to a draft period; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"submission_deadline": "2026-07-12"}))]
pub struct UpdatePeriodRequest {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub as_of: Option<IsoDate>,
    pub submission_deadline: Option<IsoDate>,
    pub report_deadline: Option<IsoDate>,
    pub thresholds: Option<ThresholdsDto>,
    pub grade_values: Option<GradeValuesDto>,
}

/// A later deadline for one unit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "until": "2026-07-15"}))]
pub struct ExtensionRequest {
    pub unit_id: Uuid,
    /// The unit's forms are due by the end of this day, local time.
    pub until: IsoDate,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "until": "2026-07-15", "created_at": "2026-07-09T08:00:00Z"}))]
pub struct ExtensionResponse {
    pub id: Uuid,
    pub period_id: Uuid,
    pub unit_id: Uuid,
    pub until: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodListQuery {
    pub year: Option<i32>,
    pub kind: Option<PeriodKind>,
    pub status: Option<PeriodStatus>,
}

impl From<Extension> for ExtensionResponse {
    fn from(e: Extension) -> Self {
        ExtensionResponse {
            id: e.id,
            period_id: e.period_id,
            unit_id: e.unit_id,
            until: e.until,
            created_at: e.created_at,
        }
    }
}

impl Resource for PeriodResponse {
    fn location(&self) -> String {
        format!("/api/v1/periods/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

impl Resource for ExtensionResponse {
    /// Read with the period's other extensions, not on its own: no `Location`.
    fn location(&self) -> String {
        String::new()
    }
    fn version(&self) -> Option<i32> {
        None
    }
}

impl From<CreatePeriodRequest> for PeriodInput {
    fn from(r: CreatePeriodRequest) -> Self {
        PeriodInput {
            year: r.year,
            kind: r.kind,
            name: r.name,
            as_of: r.as_of.get(),
            submission_deadline: r.submission_deadline.get(),
            report_deadline: r.report_deadline.get(),
            thresholds: r.thresholds.map(Into::into),
            grade_values: r.grade_values.map(Into::into),
        }
    }
}

impl From<UpdatePeriodRequest> for PeriodChanges {
    fn from(r: UpdatePeriodRequest) -> Self {
        PeriodChanges {
            name: r.name,
            as_of: r.as_of.map(IsoDate::get),
            submission_deadline: r.submission_deadline.map(IsoDate::get),
            report_deadline: r.report_deadline.map(IsoDate::get),
            thresholds: r.thresholds.map(Into::into),
            grade_values: r.grade_values.map(Into::into),
        }
    }
}
