//! `budget-monitor seed-province`: fills an empty database with a province-sized 2026 H1 period
//! for load tests and capacity planning: by default 200 units, each with 75 items of 20
//! indicators and a form on every one of them (15,000 forms, 300,000 indicator values), plus one
//! required form per unit nobody has started.
//!
//! Forms are spread over every status (draft, submitted, returned, accepted), some handed in
//! late; each is made, submitted, returned or accepted by the same rules as the API's use cases
//! (`app::submissions`), and handed-in forms keep the versions the workflow keeps. Red forms carry
//! corrective actions (a third overdue) and some a payment suspension, each checked by the
//! follow-through rules the API applies. Rows are written with multi-row statements in one
//! transaction; the bulk rows get no per-row audit events.

use std::time::{Duration, Instant};

use chrono::{FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, DatabaseTransaction};
use uuid::Uuid;

mod answers;
mod follow;
mod generator;
mod names;
use follow::{open_corrective_actions, Suspension};
use generator::Generator;
use names::{CITIES, DEPARTMENTS};

use super::data::{self, IndicatorSpec};
use super::{actor, ensure_empty, invalid, record_change, signed_in, SeedError};
use crate::app::periods::{self as app_periods, PeriodInput, Step};
use crate::auth::password;
use crate::domain::account::{self, Role, User};
use crate::domain::monitoring::Light;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::submission::Submission;
use crate::domain::unit::Unit;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{Amount, Violations};
use crate::persistence::audit::Actor;
use crate::persistence::{indicators, items, submissions, units, users};

/// How big a province to generate.
#[derive(Debug, Clone)]
pub struct ProvinceOptions {
    pub units: usize,
    /// Items with a form, per unit (one more per unit is required and has none).
    pub items_per_unit: usize,
    pub indicators_per_item: usize,
    /// The password of every login it creates (at least 10 characters).
    pub password: String,
    pub offset: FixedOffset,
}

impl Default for ProvinceOptions {
    fn default() -> Self {
        ProvinceOptions {
            units: 200,
            items_per_unit: 75,
            indicators_per_item: 20,
            password: super::DEMO_PASSWORD.into(),
            offset: crate::config::china_offset(),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct ProvinceSummary {
    pub period_id: Uuid,
    pub units: usize,
    pub items: usize,
    pub indicators: usize,
    pub forms: Vec<(SubmissionStatus, usize)>,
    pub late: usize,
    pub missing_forms: usize,
    pub versions: usize,
    pub corrective_actions: usize,
    pub measures: usize,
    pub elapsed: Duration,
}

impl ProvinceSummary {
    pub fn render(&self) -> String {
        let forms: Vec<String> = self.forms.iter().map(|(s, n)| format!("{n} {s}")).collect();
        format!(
            "Generated the 2026 H1 period {} (open) in {:.1} s: {} units, {} items, {} indicators;\n\
             forms: {} ({} late, {} versions); {} required forms missing;\n\
             {} corrective actions, {} payment measures.\n\
             Logins: finance, viewer and p001.reporter … p{:03}.reporter (password as given).\n",
            self.period_id,
            self.elapsed.as_secs_f64(),
            self.units,
            self.items,
            self.indicators,
            forms.join(", "),
            self.late,
            self.versions,
            self.missing_forms,
            self.corrective_actions,
            self.measures,
            self.units,
        )
    }
}

/// Deterministic variety: the same database every time for the same options.
fn pick(seed: usize, n: usize) -> usize {
    seed.wrapping_mul(2_654_435_761) % 4_294_967_291 % n
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn amount(d: Decimal) -> Result<Amount, SeedError> {
    Amount::new(d.round_dp(2)).map_err(invalid)
}

/// Fills an empty database with a province-sized period, in one transaction.
pub async fn seed_province(
    db: &DatabaseConnection,
    opts: &ProvinceOptions,
) -> Result<ProvinceSummary, SeedError> {
    let started = Instant::now();
    let pool = indicator_pool(opts)?;
    // One hash for every login: argon2 is slow on purpose.
    let hash = password::hash(&opts.password).map_err(SeedError::Password)?;

    let txn = crate::persistence::begin_writing(db).await?;
    ensure_empty(&txn).await?;
    let people = create_people(&txn, opts, &hash).await?;
    let (period, extension) =
        open_period(&txn, &people.finance, &people.units, opts.offset).await?;
    let mut g = Generator {
        opts,
        pool,
        period: &period,
        extension,
        finance: &people.finance,
        items: vec![],
        indicators: vec![],
        forms: vec![],
        form_items: vec![],
        versions: vec![],
        late: 0,
    };
    for (u, (unit, reporter)) in people.units.iter().zip(&people.reporters).enumerate() {
        g.unit(u, unit, reporter)?;
    }
    let red = red_forms(&g);
    // A payment suspension on every 25th red form's item, decided before the items are stored.
    let suspended: Vec<usize> = red.iter().step_by(25).map(|(_, item)| *item).collect();
    let suspension = Suspension::checked()?;
    for item in &suspended {
        g.items[*item].payment_status = suspension.payment_status;
    }
    let versions = store(&txn, &mut g).await?;
    open_corrective_actions(&txn, &g, &red, &people.reporters).await?;
    suspension
        .decide(&txn, &g, &suspended, &period, &people.finance)
        .await?;
    let summary = ProvinceSummary {
        period_id: period.id,
        units: opts.units,
        items: g.items.len(),
        indicators: g.indicators.len(),
        forms: counts(&g.forms),
        late: g.late,
        missing_forms: opts.units,
        versions,
        corrective_actions: red.len(),
        measures: suspended.len(),
        elapsed: started.elapsed(),
    };
    txn.commit().await?;
    Ok(summary)
}

/// Checks the options and the password; the indicators every item draws its own from.
fn indicator_pool(opts: &ProvinceOptions) -> Result<Vec<&'static IndicatorSpec>, SeedError> {
    if opts.units == 0 || opts.units > 999 || opts.items_per_unit == 0 {
        return Err(invalid("units must be 1–999 and items per unit at least 1"));
    }
    let pool: Vec<&IndicatorSpec> = data::ITEMS
        .iter()
        .flat_map(|i| i.indicators.iter())
        .collect();
    if opts.indicators_per_item == 0 || opts.indicators_per_item > pool.len() {
        return Err(invalid(format!(
            "indicators per item must be 1–{}",
            pool.len()
        )));
    }
    let mut v = Violations::new();
    if account::password(&mut v, "password", &opts.password).is_none() {
        let msg: Vec<String> = v.0.into_iter().map(|e| e.message).collect();
        return Err(SeedError::Password(msg.join("; ")));
    }
    Ok(pool)
}

/// The logins and units: finance, viewer, and per unit its first reporter.
struct People {
    finance: User,
    units: Vec<Unit>,
    reporters: Vec<User>,
}

/// Creates finance, the viewer, the units and one reporter per unit (bulk: no audit events).
async fn create_people(
    txn: &DatabaseTransaction,
    opts: &ProvinceOptions,
    hash: &str,
) -> Result<People, SeedError> {
    let login = |username: String, role: Role, unit_id: Option<Uuid>| users::NewUser {
        username,
        password_hash: hash.to_string(),
        role,
        unit_id,
    };
    let finance = users::insert(txn, login("finance".into(), Role::Finance, None)).await?;
    users::insert(txn, login("viewer".into(), Role::Viewer, None)).await?;
    let mut units: Vec<Unit> = Vec::with_capacity(opts.units);
    let mut reporters: Vec<User> = Vec::with_capacity(opts.units);
    for n in 0..opts.units {
        let (dept, kind) = DEPARTMENTS[n % DEPARTMENTS.len()];
        let city = CITIES[(n / DEPARTMENTS.len()) % CITIES.len()];
        let code = format!("P{:03}", n + 1);
        let fields = units::UnitFields {
            code: code.clone(),
            name: format!("{city}{dept}"),
            kind,
            parent_id: None,
        };
        let u = units::insert(txn, fields).await?;
        let username = format!("{}.reporter", code.to_lowercase());
        reporters.push(users::insert(txn, login(username, Role::Reporter, Some(u.id))).await?);
        units.push(u);
    }
    Ok(People {
        finance,
        units,
        reporters,
    })
}

/// The handed-in red forms, as (form, item) indices.
fn red_forms(g: &Generator) -> Vec<(usize, usize)> {
    g.forms
        .iter()
        .zip(&g.form_items)
        .enumerate()
        .filter(|(_, (s, _))| {
            s.status != SubmissionStatus::Draft && s.figures.warning == Light::Red
        })
        .map(|(n, (_, item))| (n, *item))
        .collect()
}

/// Writes the items, indicators, forms and their versions in multi-row statements; the number
/// of versions.
async fn store(txn: &DatabaseTransaction, g: &mut Generator<'_>) -> Result<usize, SeedError> {
    items::insert_many(txn, &g.items).await?;
    indicators::insert_many(txn, &g.indicators).await?;
    submissions::insert_many(txn, &g.forms).await?;
    let versions = g.versions.len();
    submissions::insert_versions(txn, std::mem::take(&mut g.versions)).await?;
    Ok(versions)
}

/// How many forms are in each status.
fn counts(forms: &[Submission]) -> Vec<(SubmissionStatus, usize)> {
    SubmissionStatus::ALL
        .iter()
        .map(|st| (*st, forms.iter().filter(|f| f.status == *st).count()))
        .collect()
}

/// Finance creates and opens the 2026 H1 period and extends the second unit's deadline,
/// through the same use cases as the API; the period, and the extension granted.
async fn open_period(
    db: &DatabaseTransaction,
    finance: &User,
    units: &[Unit],
    offset: FixedOffset,
) -> Result<(Period, Option<(Uuid, NaiveDate)>), SeedError> {
    let who: Actor = actor(finance);
    let input = PeriodInput {
        year: 2026,
        kind: PeriodKind::H1,
        name: None,
        as_of: date(2026, 6, 30),
        submission_deadline: date(2026, 7, 10),
        report_deadline: date(2026, 7, 31),
        thresholds: None,
        grade_values: None,
    };
    let created = app_periods::create(db, input).await?;
    record_change(db, &who, &created).await?;
    let user = signed_in(finance);
    let now = crate::persistence::now();
    let opened = app_periods::step(db, &user, created.after.id, Step::Open, now, offset).await?;
    record_change(db, &who, &opened).await?;
    let p = opened.after;
    let mut extension = None;
    if let Some(u) = units.get(1) {
        let until = date(2026, 7, 15);
        let ext = app_periods::grant_extension(db, p.id, u.id, until).await?;
        record_change(db, &who, &ext).await?;
        extension = Some((u.id, until));
    }
    Ok((p, extension))
}
