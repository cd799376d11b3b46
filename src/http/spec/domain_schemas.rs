//! How the domain's values look on the wire. The domain knows nothing of OpenAPI: each of its
//! closed sets of values, its money and date types and its field errors get their schema here.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::{
    account, follow_through, indicator, item, monitoring, period, submission, unit, webhooks,
    workflow,
};
use crate::domain::{Amount, FieldError, FundSplit, IsoDate, Total};

/// A closed set of values: a string schema listing them, the first as the example.
macro_rules! closed_set_schemas {
    ($($module:ident :: $ty:ident : $description:literal),+ $(,)?) => {$(
        impl PartialSchema for $module::$ty {
            #[allow(deprecated)] // `example` is what the document has always carried
            fn schema() -> RefOr<Schema> {
                let values: Vec<&str> = $module::$ty::ALL.iter().map(|v| v.as_str()).collect();
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .example(values.first().map(|v| serde_json::json!(v)))
                    .enum_values(Some(values))
                    .into()
            }
        }

        impl ToSchema for $module::$ty {
            fn name() -> Cow<'static, str> {
                stringify!($ty).into()
            }
        }
    )+};
}

closed_set_schemas! {
    follow_through::ActionSource: "Who opened a corrective action: the unit itself, or finance as a rectification order (督促整改).",
    follow_through::ActionStatus: "Where a corrective action stands.",
    follow_through::AdjustmentCause: "The objective cause of an adjustment (Art. 13).",
    follow_through::AdjustmentStatus: "Where an adjustment request stands.",
    submission::ComplianceCheck: "The compliance checks of Art. 6(3) and Art. 8.",
    submission::DeviationReason: "Why an indicator deviates.",
    monitoring::Direction: "Which way an indicator is good.",
    item::FundingSource: "Where a special fund's money comes from (Art. 6(4)).",
    item::ItemKind: "What an item is, which decides its form.",
    follow_through::Lens: "Which kind of monitoring found the problem (Art. 8).",
    indicator::Level1: "一级指标",
    indicator::Level2: "二级指标; each belongs to one level 1.",
    monitoring::Light: "A traffic light.",
    follow_through::MeasureKind: "What finance decides on an item (Art. 12, 14).",
    item::PaymentStatus: "Whether payments on an item may go out (Art. 14); set by finance measures only.",
    period::PeriodKind: "What a period covers.",
    workflow::PeriodStatus: "Where a monitoring period stands.",
    monitoring::Possibility: "Whether a target or the annual goal will be met.",
    monitoring::ReasonCode: "Why a warning has its level: a machine-readable reason code.",
    account::Role: "What a signed-in user may do (DESIGN §1).",
    webhooks::DeliveryStatus: "Where a webhook delivery stands: `pending` (waiting for its next attempt), `delivered` (an attempt got a 2xx) or `failed` (every attempt failed, or the endpoint answered 410).",
    submission::RootCause: "Root causes of a deviation (Art. 8, 13).",
    workflow::SubmissionStatus: "Where a submission stands in review.",
    unit::UnitKind: "The kind of a reporting unit.",
}

/// A string with a pattern, a description and an example.
fn text(pattern: &str, description: &str, example: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([serde_json::json!(example)])
}

impl PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        text(
            r"^[0-9]{1,12}(\.[0-9]{1,6})?$",
            "Money in 万元: a decimal string with up to 12 integer digits and 6 decimals",
            "1234.500000",
        )
        .into()
    }
}

impl ToSchema for Amount {
    fn name() -> Cow<'static, str> {
        "Amount".into()
    }
}

impl PartialSchema for Total {
    fn schema() -> RefOr<Schema> {
        text(
            r"^[0-9]+\.[0-9]{6}$",
            "A sum of money in 万元, exact: a decimal string with 6 decimals and as many \
             integer digits as the sum needs (the 12-digit limit is on one amount)",
            "1999999999999.999998",
        )
        .into()
    }
}

impl ToSchema for Total {
    fn name() -> Cow<'static, str> {
        "MoneyTotal".into()
    }
}

impl PartialSchema for IsoDate {
    fn schema() -> RefOr<Schema> {
        text(
            crate::domain::date::PATTERN,
            "A calendar date written exactly YYYY-MM-DD: no sign, no missing zero, no spaces",
            "2026-06-30",
        )
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .into()
    }
}

impl ToSchema for IsoDate {
    fn name() -> Cow<'static, str> {
        "IsoDate".into()
    }
}

// The wire shape of `FundSplit` (documentation only).
/// An amount split by source of funds: 财政资金 (fiscal) and 工会经费 (union).
#[derive(ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[schema(as = FundSplit, example = json!({"fiscal": "120.000000", "union": "35.500000"}))]
#[allow(dead_code)]
struct FundSplitShape {
    /// 财政资金
    fiscal: Amount,
    /// 工会经费
    union: Amount,
}

impl PartialSchema for FundSplit {
    fn schema() -> RefOr<Schema> {
        FundSplitShape::schema()
    }
}

impl ToSchema for FundSplit {
    fn name() -> Cow<'static, str> {
        "FundSplit".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        FundSplitShape::schemas(schemas)
    }
}

// The wire shape of `FieldError` (documentation only).
/// One thing wrong with one field of a request.
#[derive(ToSchema)]
#[allow(dead_code)]
struct FieldErrorShape {
    /// JSON path of the field, e.g. `budget.fiscal`.
    #[schema(example = "code")]
    field: String,
    /// Stable machine code, e.g. `required`, `invalid`, `too_long`.
    #[schema(example = "required")]
    code: String,
    /// What is wrong, for a person.
    #[schema(example = "must not be empty")]
    message: String,
    /// For a problem in an uploaded workbook: the sheet the field is on (`附件1`).
    #[schema(example = "附件1")]
    sheet: Option<String>,
    /// For a problem in an uploaded workbook: the cell the field is in (`F14`).
    #[schema(example = "F14")]
    cell: Option<String>,
}

impl PartialSchema for FieldError {
    fn schema() -> RefOr<Schema> {
        FieldErrorShape::schema()
    }
}

impl ToSchema for FieldError {
    fn name() -> Cow<'static, str> {
        "FieldError".into()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        FieldErrorShape::schemas(schemas)
    }
}
