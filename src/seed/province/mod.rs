//! `budget-monitor seed-province`: fills an empty database with a province-sized 2026 H1 period
//! for load tests and capacity planning: by default 200 units, each with 75 items of 20
//! indicators and a form on every one of them (15,000 forms, 300,000 indicator values), plus one
//! required form per unit nobody has started.
//!
//! Forms are spread over every status (draft, submitted, returned, accepted), some handed in
//! late; each is made, submitted, returned or accepted by the same rules as the API's use cases
//! (`app::submissions`), and handed-in forms keep the versions the workflow keeps. Red forms carry
//! corrective actions (a third overdue) and some a payment suspension. Rows are written with
//! multi-row statements in one transaction; the bulk rows get no per-row audit events.

use std::time::{Duration, Instant};

use chrono::{FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

mod generator;
use generator::Generator;

use super::data::{self, IndicatorSpec};
use super::{actor, ensure_empty, invalid, record_change, SeedError};
use crate::app::periods::{self as app_periods, PeriodInput, Step};
use crate::auth::password;
use crate::auth::CurrentUser;
use crate::domain::account::{self, Role, User};
use crate::domain::follow_through::{ActionSource, Lens, MeasureKind};
use crate::domain::item::{FundingSource, PaymentStatus};
use crate::domain::monitoring::Light;
use crate::domain::period::{Period, PeriodKind};
use crate::domain::unit::{Unit, UnitKind};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{Amount, Violations};
use crate::persistence::audit::Actor;
use crate::persistence::{
    corrective_actions, indicators, items, measures, submissions, units, users,
};

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

const CITIES: &[&str] = &[
    "石家庄市",
    "唐山市",
    "秦皇岛市",
    "邯郸市",
    "邢台市",
    "保定市",
    "张家口市",
    "承德市",
    "沧州市",
    "廊坊市",
    "衡水市",
];

const DEPARTMENTS: &[(&str, UnitKind)] = &[
    ("总工会办公室", UnitKind::Department),
    ("总工会组织部", UnitKind::Department),
    ("总工会宣传教育部", UnitKind::Department),
    ("总工会权益保障部", UnitKind::Department),
    ("总工会经济工作部", UnitKind::Department),
    ("总工会女职工部", UnitKind::Department),
    ("总工会财务部", UnitKind::Department),
    ("总工会经费审查委员会办公室", UnitKind::Department),
    ("职工服务中心", UnitKind::Institution),
    ("工人文化宫", UnitKind::Institution),
    ("职工法律援助中心", UnitKind::Institution),
    ("职工疗休养院", UnitKind::Institution),
    ("工会干部学校", UnitKind::Institution),
    ("职工技协", UnitKind::Institution),
    ("教育工会", UnitKind::SubordinateUnion),
    ("卫生健康工会", UnitKind::SubordinateUnion),
    ("交通运输工会", UnitKind::SubordinateUnion),
    ("建设工会", UnitKind::SubordinateUnion),
    ("机关工会", UnitKind::SubordinateUnion),
];

const FUNDS: &[(&str, FundingSource)] = &[
    ("困难职工帮扶资金", FundingSource::FiscalAllocation),
    ("劳模补助资金", FundingSource::UpperUnion),
    ("职工医疗互助资金", FundingSource::Own),
    ("送温暖专项资金", FundingSource::FiscalAllocation),
];

const PROJECTS: &[&str] = &[
    "职工服务阵地建设",
    "职工技能竞赛",
    "职工法律援助服务",
    "女职工关爱行动",
    "新就业形态劳动者入会",
    "职工文体活动",
    "工会干部培训",
    "劳模工匠创新工作室",
    "职工心理健康服务",
    "户外劳动者驿站运维",
];

const PEOPLE: &[(&str, &str)] = &[
    ("李明", "王强"),
    ("张伟", "刘洋"),
    ("赵静", "陈杰"),
    ("孙丽", "周涛"),
];

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
    // One hash for every login: argon2 is slow on purpose.
    let hash = password::hash(&opts.password).map_err(SeedError::Password)?;

    let txn = db.begin().await?;
    ensure_empty(&txn).await?;
    let login = |username: String, role: Role, unit_id: Option<Uuid>| users::NewUser {
        username,
        password_hash: hash.clone(),
        role,
        unit_id,
    };
    let finance = users::insert(&txn, login("finance".into(), Role::Finance, None)).await?;
    users::insert(&txn, login("viewer".into(), Role::Viewer, None)).await?;

    let mut unit_list: Vec<Unit> = Vec::with_capacity(opts.units);
    let mut reporters: Vec<User> = Vec::with_capacity(opts.units);
    for n in 0..opts.units {
        let (dept, kind) = DEPARTMENTS[n % DEPARTMENTS.len()];
        let city = CITIES[(n / DEPARTMENTS.len()) % CITIES.len()];
        let code = format!("P{:03}", n + 1);
        let u = units::insert(
            &txn,
            units::UnitFields {
                code: code.clone(),
                name: format!("{city}{dept}"),
                kind,
                parent_id: None,
            },
        )
        .await?;
        let username = format!("{}.reporter", code.to_lowercase());
        reporters.push(users::insert(&txn, login(username, Role::Reporter, Some(u.id))).await?);
        unit_list.push(u);
    }
    let period = open_period(&txn, &finance, &unit_list, opts.offset).await?;

    let mut g = Generator {
        opts,
        pool,
        period: &period,
        finance: &finance,
        items: vec![],
        indicators: vec![],
        forms: vec![],
        form_items: vec![],
        versions: vec![],
        late: 0,
    };
    for (u, (unit, reporter)) in unit_list.iter().zip(&reporters).enumerate() {
        g.unit(u, unit, reporter)?;
    }
    // Handed-in red forms (form and item indices).
    let red: Vec<(usize, usize)> = g
        .forms
        .iter()
        .zip(&g.form_items)
        .enumerate()
        .filter(|(_, (s, _))| {
            s.status != SubmissionStatus::Draft && s.figures.warning == Light::Red
        })
        .map(|(n, (_, item))| (n, *item))
        .collect();
    // A payment suspension on every 25th red form's item, decided before the items are stored.
    let suspended: Vec<usize> = red.iter().step_by(25).map(|(_, item)| *item).collect();
    for item in &suspended {
        g.items[*item].payment_status = PaymentStatus::Suspended;
    }

    items::insert_many(&txn, &g.items).await?;
    indicators::insert_many(&txn, &g.indicators).await?;
    let forms = &g.forms;
    submissions::insert_many(&txn, forms).await?;
    let versions = g.versions.len();
    submissions::insert_versions(&txn, std::mem::take(&mut g.versions)).await?;

    for (k, (n, item)) in red.iter().enumerate() {
        let s = &forms[*n];
        let it = &g.items[*item];
        // Overdue: due before the report, still open.
        let due = if k % 3 == 0 {
            date(2026, 7, 25)
        } else {
            date(2026, 12, 31)
        };
        corrective_actions::insert(
            &txn,
            corrective_actions::NewAction {
                submission_id: s.id,
                indicator_id: None,
                period_id: period.id,
                item_id: it.id,
                unit_id: it.unit_id,
                lens: Lens::Effectiveness,
                cause: "资金支付进度滞后于序时进度，部分采购合同尚未签订".into(),
                objective_cause: k % 4 == 0,
                measure: "加快政府采购和合同签订，按月调度资金支付进度".into(),
                owner: PEOPLE[k % PEOPLE.len()].0.into(),
                due_date: due,
                source: ActionSource::Unit,
                created_by: finance.id,
            },
        )
        .await?;
    }
    for item in &suspended {
        let it = &g.items[*item];
        measures::insert(
            &txn,
            measures::NewMeasure {
                item_id: it.id,
                unit_id: it.unit_id,
                period_id: Some(period.id),
                kind: MeasureKind::SuspendPayment,
                reason: "执行进度严重滞后，暂缓拨付剩余资金".into(),
                new_budget: None,
                new_targets: serde_json::json!([]),
                corrective_action_id: None,
                decided_by: finance.id,
                decided_by_username: finance.username.clone(),
            },
        )
        .await?;
    }

    let missing_forms = opts.units;
    let items_total = g.items.len();
    let indicators_total = g.indicators.len();
    let late = g.late;
    let counts = SubmissionStatus::ALL
        .iter()
        .map(|st| (*st, forms.iter().filter(|f| f.status == *st).count()))
        .collect();
    txn.commit().await?;
    Ok(ProvinceSummary {
        period_id: period.id,
        units: opts.units,
        items: items_total,
        indicators: indicators_total,
        forms: counts,
        late,
        missing_forms,
        versions,
        corrective_actions: red.len(),
        measures: suspended.len(),
        elapsed: started.elapsed(),
    })
}

/// Finance creates and opens the 2026 H1 period and extends the second unit's deadline,
/// through the same use cases as the API.
async fn open_period(
    db: &sea_orm::DatabaseTransaction,
    finance: &User,
    units: &[Unit],
    offset: FixedOffset,
) -> Result<Period, SeedError> {
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
    let user = CurrentUser {
        id: finance.id,
        username: finance.username.clone(),
        role: finance.role,
        unit_id: finance.unit_id,
    };
    let now = crate::persistence::now();
    let opened = app_periods::step(db, &user, created.after.id, Step::Open, now, offset).await?;
    record_change(db, &who, &opened).await?;
    let p = opened.after;
    if let Some(u) = units.get(1) {
        let ext = app_periods::grant_extension(db, p.id, u.id, date(2026, 7, 15)).await?;
        record_change(db, &who, &ext).await?;
    }
    Ok(p)
}
