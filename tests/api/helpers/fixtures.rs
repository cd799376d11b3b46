//! Typed builders of the monitoring fixtures: units, periods, items, indicators and forms,
//! each created through the API and returned with its id and `ETag`.

use serde_json::{json, Value};
use uuid::Uuid;

use super::{etag_of, id_of, ok, Roles, Session, TestApp};

/// A unit created by the admin.
pub struct Unit {
    pub id: Uuid,
}

/// A period.
pub struct Period {
    pub id: Uuid,
}

/// A created resource (item, indicator, form): its id and `ETag`.
pub struct Created {
    pub id: Uuid,
    pub etag: String,
}

/// The dates of a period of `kind` in `year`: its cut-off and its two deadlines.
fn period_dates(year: i32, kind: &str) -> [String; 3] {
    let next = year + 1;
    match kind {
        "h1" => [
            format!("{year}-06-30"),
            format!("{year}-07-10"),
            format!("{year}-07-31"),
        ],
        "interim" => [
            format!("{year}-09-30"),
            format!("{year}-12-31"),
            format!("{next}-01-31"),
        ],
        _ => [
            format!("{year}-12-31"),
            format!("{next}-01-31"),
            format!("{next}-02-28"),
        ],
    }
}

impl TestApp {
    /// A department with `code`, named `单位<code>`, created by the admin.
    pub async fn unit(&self, code: &str) -> Unit {
        let admin = self.as_admin().await;
        let body = json!({"code": code, "name": format!("单位{code}"), "kind": "department"});
        let created = ok(admin.post("/api/v1/units", body).await, 201).await;
        Unit {
            id: id_of(&created),
        }
    }

    /// A period of `kind` (`h1`, `interim`, `annual`) in `year`, created and opened by finance.
    pub async fn period(&self, year: i32, kind: &str) -> Period {
        let finance = self.as_finance().await;
        let p = finance.new_period(year, kind).await;
        finance.open_period(p.id).await
    }
}

impl Session {
    /// A period of `kind` in `year` with the usual dates, created but not opened.
    pub async fn new_period(&self, year: i32, kind: &str) -> Period {
        let [as_of, submission, report] = period_dates(year, kind);
        let body = json!({"year": year, "kind": kind, "as_of": as_of,
            "submission_deadline": submission, "report_deadline": report});
        let created = self.created("/api/v1/periods", body).await;
        Period { id: created.id }
    }

    pub async fn open_period(&self, id: Uuid) -> Period {
        self.act(&format!("/api/v1/periods/{id}/open")).await;
        Period { id }
    }

    /// POSTs `body` to `path`, expecting 201.
    pub async fn created(&self, path: &str, body: Value) -> Created {
        let r = self.post(path, body).await;
        let etag = etag_of(&r);
        let json = ok(r, 201).await;
        Created {
            id: id_of(&json),
            etag,
        }
    }

    /// An item of the session's unit.
    pub async fn item(&self, body: Value) -> Created {
        self.created("/api/v1/items", body).await
    }

    /// An indicator of `item`.
    pub async fn indicator(&self, item: Uuid, body: Value) -> Created {
        self.created(&format!("/api/v1/items/{item}/indicators"), body)
            .await
    }

    /// A draft form.
    pub async fn form(&self, body: Value) -> Created {
        self.created("/api/v1/submissions", body).await
    }

    /// A form created and submitted; its `ETag` is that of the submission.
    pub async fn filed_form(&self, body: Value) -> Created {
        let form = self.form(body).await;
        let r = self
            .post(
                &format!("/api/v1/submissions/{}/submit", form.id),
                json!({}),
            )
            .await;
        let etag = etag_of(&r);
        ok(r, 200).await;
        Created { id: form.id, etag }
    }
}

/// An open 2026 H1 period and the reporter's overall item with two indicators.
pub struct Cycle {
    pub roles: Roles,
    pub period: String,
    pub item: String,
    pub indicators: Vec<String>,
}

/// Finance opens a 2026 H1 period; the reporter's unit has an overall item with two indicators.
pub async fn open_cycle(app: &TestApp) -> Cycle {
    let roles = app.roles().await;
    let period = app.period(2026, "h1").await;
    let item = roles.reporter.item(json!({"year": 2026, "kind": "overall", "name": "整体支出", "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "完成年度工作"})).await;
    let mut indicators = vec![];
    for body in [
        json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1000", "prorate": true}),
        json!({"level1": "satisfaction", "level2": "satisfaction", "name": "职工满意度", "measure_unit": "%", "direction": "higher_better", "target": "90"}),
    ] {
        let i = roles.reporter.indicator(item.id, body).await;
        indicators.push(i.id.to_string());
    }
    Cycle {
        roles,
        period: period.id.to_string(),
        item: item.id.to_string(),
        indicators,
    }
}
