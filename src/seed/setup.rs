//! The people and the period of the demo: units, one login per role, and the open 2026 H1
//! period with one unit's deadline extended.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr};

use super::{actor, check, data, invalid, lookup, record, SeedError};
use crate::domain::account::{self, User};
use crate::domain::period::{self, Period, PeriodKind, PeriodSettings};
use crate::domain::unit::{self as unit_rules, Unit};
use crate::domain::workflow::PeriodStatus;
use crate::domain::Violations;
use crate::http::periods::{ExtensionResponse, PeriodResponse};
use crate::http::units::UnitResponse;
use crate::http::users::UserResponse;
use crate::persistence::audit::Actor;
use crate::persistence::{self, periods, units, users};

/// Creates the units of [`data::UNITS`] as the admin would; returns them by code.
pub async fn create_units(
    db: &impl ConnectionTrait,
    admin: &Actor,
) -> Result<HashMap<String, Unit>, SeedError> {
    let mut out = HashMap::new();
    for spec in data::UNITS {
        let mut v = Violations::new();
        unit_rules::code(&mut v, spec.code);
        unit_rules::name(&mut v, spec.name);
        check(v)?;
        let u = units::insert(
            db,
            units::UnitFields {
                code: spec.code.into(),
                name: spec.name.into(),
                kind: spec.kind,
                parent_id: None,
            },
        )
        .await?;
        record(
            db,
            admin,
            "unit.create",
            "unit",
            u.id,
            None,
            UnitResponse::from(u.clone()),
        )
        .await?;
        out.insert(spec.code.to_string(), u);
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
    let mut v = Violations::new();
    account::username(&mut v, "username", &l.username);
    account::check_role_unit(&mut v, l.role, unit.is_some());
    check(v)?;
    let new = users::NewUser {
        username: l.username.clone(),
        password_hash,
        role: l.role,
        unit_id: unit.map(|u| u.id),
    };
    let u = users::insert(db, new).await.map_err(|e| {
        if persistence::is_unique_violation(&e) {
            SeedError::UserExists(l.username.clone())
        } else {
            e.into()
        }
    })?;
    record(
        db,
        admin,
        "user.create",
        "user",
        u.id,
        None,
        UserResponse::from(u.clone()),
    )
    .await?;
    Ok(u)
}

fn date(s: &str) -> Result<NaiveDate, SeedError> {
    s.parse().map_err(|e| invalid(format!("{s}: {e}")))
}

/// Finance creates the 2026 H1 period (Art. 11), opens it, and extends one unit's deadline.
pub async fn open_period(
    db: &impl ConnectionTrait,
    finance: &User,
    units: &HashMap<String, Unit>,
) -> Result<Period, SeedError> {
    let who = actor(finance);
    let (year, kind) = (2026, PeriodKind::H1);
    let fields = periods::PeriodFields {
        year,
        kind,
        name: period::default_name(year, kind),
        as_of: date("2026-06-30")?,
        submission_deadline: date("2026-07-10")?,
        report_deadline: date("2026-07-31")?,
        settings: PeriodSettings {
            thresholds: Default::default(),
            grade_values: Default::default(),
        },
    };
    let mut v = Violations::new();
    period::check_dates(
        &mut v,
        year,
        fields.as_of,
        fields.submission_deadline,
        fields.report_deadline,
    );
    check(v)?;
    let p = periods::insert(db, fields).await?;
    record(
        db,
        &who,
        "period.create",
        "period",
        p.id,
        None,
        PeriodResponse::from(p.clone()),
    )
    .await?;

    let next = p.status.open().map_err(invalid)?;
    periods::set_status(db, p.id, next).await?;
    let before = serde_json::json!({"status": p.status});
    record(
        db,
        &who,
        "period.open",
        "period",
        p.id,
        Some(before),
        serde_json::json!({"status": next}),
    )
    .await?;

    let (code, until) = data::EXTENSION;
    let unit = lookup(units, code)?;
    let e = periods::upsert_extension(db, p.id, unit.id, date(until)?).await?;
    let ext = ExtensionResponse {
        id: e.id,
        period_id: e.period_id,
        unit_id: e.unit_id,
        until: e.until,
        created_at: e.created_at,
    };
    record(db, &who, "period.extension", "period", p.id, None, ext).await?;

    let p = periods::get(db, p.id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("period".into()))?;
    if p.status != PeriodStatus::Open {
        return Err(invalid("the period did not open"));
    }
    Ok(p)
}
