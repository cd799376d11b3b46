//! The people and the period of the demo: units, one login per role, and the open 2026 H1
//! period with one unit's deadline extended. Created through the same use cases as the API.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, StreamTrait};

use super::{actor, data, invalid, lookup, record_change, signed_in, SeedError};
use crate::app::periods::{self, PeriodInput, Step};
use crate::app::units::{self, UnitInput};
use crate::app::users::{self, UserInput};
use crate::domain::account::User;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::unit::Unit;
use crate::domain::workflow::PeriodStatus;
use crate::error::{ApiError, ErrorCode};
use crate::persistence::audit::Actor;

/// Creates the units of [`data::UNITS`] as the admin would; returns them by code.
pub async fn create_units(
    db: &impl ConnectionTrait,
    admin: &Actor,
) -> Result<HashMap<String, Unit>, SeedError> {
    let mut out = HashMap::new();
    for spec in data::UNITS {
        let input = UnitInput {
            code: spec.code.into(),
            name: spec.name.into(),
            kind: spec.kind,
            parent_id: None,
        };
        let change = units::create(db, input).await?;
        record_change(db, admin, &change).await?;
        out.insert(spec.code.to_string(), change.after);
    }
    Ok(out)
}

/// Creates one login as the admin would; a taken username is [`SeedError::UserExists`].
pub async fn create_user(
    db: &impl ConnectionTrait,
    admin: &Actor,
    l: &data::LoginSpec,
    unit: Option<&Unit>,
    password_hash: String,
) -> Result<User, SeedError> {
    let input = UserInput {
        username: l.username.clone(),
        role: l.role,
        unit_id: unit.map(|u| u.id),
    };
    let change = users::create_hashed(db, input, password_hash)
        .await
        .map_err(|e| match e {
            ApiError::Client {
                code: ErrorCode::AlreadyExists,
                ..
            } => SeedError::UserExists(l.username.clone()),
            e => e.into(),
        })?;
    record_change(db, admin, &change).await?;
    Ok(change.after)
}

fn date(s: &str) -> Result<NaiveDate, SeedError> {
    s.parse().map_err(|e| invalid(format!("{s}: {e}")))
}

/// Finance creates the 2026 H1 period (Art. 11), opens it, and extends one unit's deadline.
pub async fn open_period(
    db: &(impl ConnectionTrait + StreamTrait),
    finance: &User,
    units: &HashMap<String, Unit>,
    offset: chrono::FixedOffset,
) -> Result<Period, SeedError> {
    let who = actor(finance);
    let input = PeriodInput {
        year: 2026,
        kind: PeriodKind::H1,
        name: None,
        as_of: date("2026-06-30")?,
        submission_deadline: date("2026-07-10")?,
        report_deadline: date("2026-07-31")?,
        thresholds: None,
        grade_values: None,
    };
    let created = periods::create(db, input).await?;
    record_change(db, &who, &created).await?;

    let user = signed_in(finance);
    let now = crate::persistence::now();
    let opened = periods::step(db, &user, created.after.id, Step::Open, now, offset).await?;
    record_change(db, &who, &opened).await?;

    let (code, until) = data::EXTENSION;
    let unit = lookup(units, code)?;
    let p = opened.after;
    let ext = periods::grant_extension(db, p.id, unit.id, date(until)?).await?;
    record_change(db, &who, &ext).await?;

    if p.status != PeriodStatus::Open {
        return Err(invalid("the period did not open"));
    }
    Ok(p)
}
