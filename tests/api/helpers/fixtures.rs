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

/// A created resource (item, indicator, form): its id, `ETag` and body.
pub struct Created {
    pub id: Uuid,
    pub etag: String,
    pub body: Value,
}

/// The signatures of a form: 李明 and 王强 on 2026-07-08.
pub fn signatures() -> Value {
    json!({"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"})
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
        let body = ok(r, 201).await;
        Created {
            id: id_of(&body),
            etag,
            body,
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

    /// A form created and submitted; its `ETag` and body are those of the submission.
    pub async fn filed_form(&self, body: Value) -> Created {
        let form = self.form(body).await;
        self.stepped(form.id, "submit").await
    }

    /// Takes the step `what` (`submit`, `accept`) of form `id`, expecting 200.
    pub async fn stepped(&self, id: Uuid, what: &str) -> Created {
        let path = format!("/api/v1/submissions/{id}/{what}");
        let r = self.post(&path, json!({})).await;
        let etag = etag_of(&r);
        let body = ok(r, 200).await;
        Created { id, etag, body }
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

impl Cycle {
    /// The figures of a form 1 of the cycle's item (a PUT body): `executed` fiscal and union,
    /// the actuals of both indicators, signed.
    pub fn figures(&self, executed: [&str; 2], actuals: [&str; 2]) -> Value {
        json!({"executed": {"fiscal": executed[0], "union": executed[1]},
            "indicator_values": [{"indicator_id": self.indicators[0], "actual": actuals[0]},
                {"indicator_id": self.indicators[1], "actual": actuals[1]}],
            "signatures": signatures()})
    }

    /// A new form 1 of the cycle's item and period with these figures (a POST body).
    pub fn form_body(&self, executed: [&str; 2], actuals: [&str; 2]) -> Value {
        let mut body = self.figures(executed, actuals);
        body["period_id"] = json!(self.period);
        body["item_id"] = json!(self.item);
        body
    }

    /// The reporter's draft of `body`.
    pub async fn draft_form(&self, body: Value) -> Created {
        self.roles.reporter.form(body).await
    }

    /// The reporter's form of `body`, submitted.
    pub async fn submitted_form(&self, body: Value) -> Created {
        self.roles.reporter.filed_form(body).await
    }

    /// The reporter's form of `body`, submitted and accepted by finance; the `ETag` and body
    /// are those of the acceptance.
    pub async fn accepted_form(&self, body: Value) -> Created {
        let form = self.submitted_form(body).await;
        self.roles.finance.stepped(form.id, "accept").await
    }
}

/// A fresh app with an open cycle ([`open_cycle`]).
pub async fn spawn_cycle() -> (TestApp, Cycle) {
    let app = super::spawn_app().await;
    let c = open_cycle(&app).await;
    (app, c)
}

/// The elements of the array `list` whose `key` is `value`.
pub fn rows_where<'a>(list: &'a Value, key: &str, value: &str) -> Vec<&'a Value> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter().filter(|row| row[key] == value).collect()
}

/// The text `key` of every element of the array `list`.
pub fn column<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    let rows = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    rows.iter().map(|row| row[key].as_str().unwrap()).collect()
}

/// The years of an item's life, as `/items/{id}/lifecycle` lists them.
pub fn years_of(lifecycle: &Value) -> Vec<i64> {
    let years = lifecycle.as_array().unwrap().iter();
    years.map(|y| y["year"].as_i64().unwrap()).collect()
}
