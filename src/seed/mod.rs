//! `budget-monitor seed-demo`: fills an empty database with a realistic 2026 H1 monitoring cycle
//! (units, one login per role, an open period, items with indicator trees, and forms in every
//! state), so that frontend teams have data to build and script against.
//!
//! Everything is written in one transaction, each change by the API's own use case (`app::`):
//! units, logins, the period, items, indicators and forms, with the audit events and form
//! versions the API would have written (each recorded as the write pipeline records it; the
//! pipeline itself begins and commits a transaction per request, so the seed records them).

mod cycle;
mod data;
mod forms;
pub mod province;
mod setup;

use std::collections::HashMap;

use chrono::FixedOffset;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use serde::Serialize;
use uuid::Uuid;

use crate::app::indicators::{self, IndicatorInput};
use crate::app::pipeline::Change;
use crate::auth::{password, CurrentUser};
use crate::domain::account::{self, Role, User};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{Amount, FieldError, FundSplit, Violations};
use crate::error::ApiError;
use crate::persistence::audit::{self, Actor, Origin};
use crate::persistence::indicators::IndicatorFields;
use crate::persistence::{self, items, periods, submissions, units, users};

/// The password of every demo login unless `BM_DEMO_PASSWORD` sets another.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

/// How to seed.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The password of every demo login (at least 10 characters).
    pub password: String,
    /// The federation's UTC offset, which decides whether a form was late.
    pub offset: FixedOffset,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            password: DEMO_PASSWORD.into(),
            offset: crate::config::china_offset(),
        }
    }
}

/// Why seeding failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database is not empty ({units} units, {items} items, {periods} periods): seed-demo only fills a fresh database")]
    NotEmpty {
        units: u64,
        items: u64,
        periods: u64,
    },
    #[error("the user `{0}` already exists: seed-demo only fills a fresh database")]
    UserExists(String),
    #[error("BM_DEMO_PASSWORD: {0}")]
    Password(String),
    /// The demo data breaks a rule of the service (a bug in the demo data).
    #[error("demo data: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// One demo login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    /// The unit's code and name.
    pub unit: Option<(String, String)>,
}

/// What was created.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub period_id: Uuid,
    pub password: String,
    pub logins: Vec<DemoLogin>,
    pub units: usize,
    pub items: usize,
    pub indicators: usize,
    /// Forms per status.
    pub forms: Vec<(SubmissionStatus, usize)>,
    /// Required forms nobody has started.
    pub missing_forms: usize,
}

impl DemoSummary {
    /// A short report and the table of logins, for the terminal.
    pub fn render(&self) -> String {
        let forms: Vec<String> = self.forms.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let mut out = format!(
            "Seeded the 2026 H1 monitoring cycle (period {}, open): {} units, {} items, {} indicators,\n\
             forms: {}; {} required forms missing.\n\n",
            self.period_id,
            self.units,
            self.items,
            self.indicators,
            forms.join(", "),
            self.missing_forms,
        );
        out.push_str(&format!("{:<18} {:<9} unit\n", "username", "role"));
        for l in &self.logins {
            let unit = l
                .unit
                .as_ref()
                .map(|(code, name)| format!("{code} {name}"))
                .unwrap_or_else(|| "-".into());
            out.push_str(&format!(
                "{:<18} {:<9} {unit}\n",
                l.username,
                l.role.as_str()
            ));
        }
        out.push_str(&format!("\nEvery login's password: {}\n", self.password));
        out
    }
}

/// Fills an empty database with the demo cycle, in one transaction. Refuses (and writes
/// nothing) if any unit, item or period exists; the `admin` user may.
pub async fn seed_demo(
    db: &DatabaseConnection,
    opts: &DemoOptions,
) -> Result<DemoSummary, SeedError> {
    let mut v = Violations::new();
    if account::password(&mut v, "password", &opts.password).is_none() {
        let msg: Vec<String> = v.0.into_iter().map(|e| e.message).collect();
        return Err(SeedError::Password(msg.join("; ")));
    }
    let logins = data::logins();
    // Hash before the transaction: argon2 is slow on purpose and needs no database.
    let hashes = logins
        .iter()
        .map(|_| password::hash(&opts.password))
        .collect::<Result<Vec<_>, _>>()
        .map_err(SeedError::Password)?;

    let txn = persistence::begin_writing(db).await?;
    ensure_empty(&txn).await?;
    let admin = match users::find_for_login(&txn, "admin").await? {
        Some((u, _)) => actor(&u),
        None => Actor {
            username: Some("seed-demo".into()),
            ..Actor::default()
        },
    };
    let units = setup::create_units(&txn, &admin).await?;
    let (people, shown) = create_people(&txn, &admin, &logins, hashes, &units).await?;
    let finance = people
        .get("finance")
        .cloned()
        .ok_or_else(|| SeedError::Invalid("no finance login".into()))?;
    let period = setup::open_period(&txn, &finance, &units, opts.offset).await?;
    let mut cx = cycle::Cycle {
        db: &txn,
        offset: opts.offset,
        period: &period,
        units: &units,
        people: &people,
        finance: &finance,
        items: HashMap::new(),
        indicators: 0,
    };
    cx.create_items().await?;
    let forms = cx.file_forms().await?;
    let completeness =
        submissions::completeness(&txn, &period, None, opts.offset, persistence::now()).await?;
    let summary = DemoSummary {
        period_id: period.id,
        password: opts.password.clone(),
        logins: shown,
        units: units.len(),
        items: cx.items.len(),
        indicators: cx.indicators,
        forms,
        missing_forms: completeness.iter().filter(|r| r.state == "missing").count(),
    };
    txn.commit().await?;
    Ok(summary)
}

/// The demo logins, by username, and as the summary shows them.
async fn create_people(
    db: &impl ConnectionTrait,
    admin: &Actor,
    logins: &[data::LoginSpec],
    hashes: Vec<String>,
    units: &HashMap<String, crate::domain::unit::Unit>,
) -> Result<(HashMap<String, User>, Vec<DemoLogin>), SeedError> {
    let mut people = HashMap::new();
    let mut shown = Vec::new();
    for (l, hash) in logins.iter().zip(hashes) {
        let unit = l.unit.map(|code| lookup(units, code)).transpose()?;
        let u = setup::create_user(db, admin, l, unit, hash).await?;
        shown.push(DemoLogin {
            username: u.username.clone(),
            role: u.role,
            unit: unit.map(|x| (x.code.clone(), x.name.clone())),
        });
        people.insert(u.username.clone(), u);
    }
    Ok((people, shown))
}

async fn ensure_empty(db: &impl ConnectionTrait) -> Result<(), SeedError> {
    let (_, units) = units::list(db, &Default::default(), 0, 1).await?;
    let (_, items) = items::list(db, &Default::default(), 0, 1).await?;
    let (_, periods) = periods::list(db, &Default::default(), 0, 1).await?;
    if units + items + periods > 0 {
        return Err(SeedError::NotEmpty {
            units,
            items,
            periods,
        });
    }
    Ok(())
}

/// `Ok` when nothing was violated, else every violation in one message.
fn check(v: Violations) -> Result<(), SeedError> {
    v.finish(|| ())
        .map_err(|errors| SeedError::Invalid(fields(&errors)))
}

/// Field errors as one message: `field: message; …`.
fn fields(errors: &[FieldError]) -> String {
    let msg: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    msg.join("; ")
}

fn invalid(what: impl std::fmt::Display) -> SeedError {
    SeedError::Invalid(what.to_string())
}

/// Looks up a piece of demo data by its key.
fn lookup<'m, T>(m: &'m HashMap<String, T>, key: &str) -> Result<&'m T, SeedError> {
    m.get(key)
        .ok_or_else(|| invalid(format!("nothing is called `{key}`")))
}

/// A login as the use cases see their caller.
pub(crate) fn signed_in(u: &User) -> CurrentUser {
    CurrentUser {
        id: u.id,
        username: u.username.clone(),
        role: u.role,
        unit_id: u.unit_id,
    }
}

fn actor(u: &User) -> Actor {
    Actor {
        id: Some(u.id),
        username: Some(u.username.clone()),
        role: Some(u.role),
        unit_id: u.unit_id,
    }
}

/// Records a change made through a use case, as the write pipeline would.
async fn record_change<T: Serialize>(
    db: &impl ConnectionTrait,
    who: &Actor,
    change: &Change<T>,
) -> Result<(), DbErr> {
    audit::record(db, who, &origin(), change.entry()).await
}

fn origin() -> Origin {
    Origin {
        request_id: "seed-demo".into(),
        client_addr: None,
        client_request_id: None,
    }
}

impl From<ApiError> for SeedError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Db(e) => SeedError::Db(e),
            ApiError::Client { detail, errors, .. } if !errors.is_empty() => {
                SeedError::Invalid(format!("{detail}: {}", fields(&errors)))
            }
            e => SeedError::Invalid(e.to_string()),
        }
    }
}

fn amount(s: &str) -> Result<Amount, SeedError> {
    s.parse().map_err(|e| invalid(format!("{s}: {e}")))
}

/// (财政资金, 工会经费) in 万元.
fn split((fiscal, union): (&str, &str)) -> Result<FundSplit, SeedError> {
    Ok(FundSplit {
        fiscal: amount(fiscal)?,
        union: amount(union)?,
    })
}

/// An indicator as a client would send it for a spec; its level 1 follows from its level 2.
fn indicator_input(s: &data::IndicatorSpec) -> IndicatorInput {
    IndicatorInput {
        level1: s.level2.level1(),
        level2: s.level2,
        name: s.name.into(),
        measure_unit: s.measure_unit.into(),
        direction: s.direction,
        target: s.target.into(),
        prorate: s.prorate,
        weight: None,
    }
}

/// The indicator a spec describes, after the checks the API makes.
fn indicator_fields(s: &data::IndicatorSpec) -> Result<IndicatorFields, SeedError> {
    indicators::check(&indicator_input(s))
        .map_err(|errors| SeedError::Invalid(format!("{}: {}", s.name, fields(&errors))))
}
