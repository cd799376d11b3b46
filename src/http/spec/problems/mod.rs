//! The problem+json answers: the ones every operation of its shape can give are added here (a
//! handler documents only those particular to it), and each problem response gets an example
//! per `code` it can carry, with that status.

use serde_json::{json, Map, Value};

use super::{operations_mut, ref_name, schema};
use crate::error::ErrorCode;

mod examples;
use examples::example;

/// What an operation takes, which decides the problems it can answer.
struct Shape {
    path: String,
    path_params: bool,
    query: bool,
    /// The first query parameter the operation takes, if any.
    first_query: Option<String>,
    paged: bool,
    headers: bool,
    body: bool,
    /// A write that takes no body: it takes nothing or `{}`, and refuses any other body as a
    /// body is refused (`extract::NoBody`).
    bodiless: bool,
    secured: bool,
    idempotent: bool,
    api: bool,
    /// The body may be an XLSX workbook (the form import).
    workbook: bool,
}

impl Shape {
    fn of(path: &str, method: &str, op: &Value) -> Self {
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let has = |place: &str| params.iter().any(|p| p["in"] == place);
        Shape {
            path: path.to_string(),
            path_params: has("path"),
            query: has("query"),
            first_query: params
                .iter()
                .find(|p| p["in"] == "query")
                .and_then(|p| p["name"].as_str())
                .map(str::to_string),
            paged: params.iter().any(|p| p["name"] == "per_page"),
            headers: has("header"),
            body: op.get("requestBody").is_some(),
            bodiless: op.get("requestBody").is_none()
                && ["post", "put", "patch", "delete"].contains(&method),
            secured: op["security"].as_array().is_some_and(|s| !s.is_empty()),
            idempotent: params.iter().any(|p| p["name"] == "Idempotency-Key"),
            api: path.starts_with("/api/"),
            workbook: op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_some_and(|c| c.contains_key(XLSX)),
        }
    }

    /// The codes an answer of `status` can carry.
    fn codes(&self, status: &str) -> Vec<ErrorCode> {
        use ErrorCode::*;
        let mut c = vec![];
        let mut when = |cond: bool, code| {
            if cond {
                c.push(code)
            }
        };
        match status {
            "400" => {
                when(self.body || self.bodiless, MalformedJson);
                when(self.path_params, InvalidPathParameter);
                // Every operation of the document refuses query parameters it does not take.
                when(true, InvalidQueryParameter);
                when(self.headers, InvalidHeader);
                when(self.workbook, WorkbookDamaged);
            }
            "401" if self.secured => {
                when(true, MissingToken);
                when(true, InvalidToken);
            }
            "401" => when(true, InvalidCredentials),
            "403" => when(true, Forbidden),
            // Outside the API, a 404 means the route is not served here.
            "404" => when(true, if self.api { NotFound } else { RouteNotFound }),
            "409" => {
                when(true, Conflict);
                when(self.idempotent, IdempotencyKeyInFlight);
            }
            "410" => when(true, CursorExpired),
            "412" => when(true, PreconditionFailed),
            "413" => when(true, PayloadTooLarge),
            "415" => {
                when(true, UnsupportedMediaType);
                when(self.workbook, NotXlsx);
            }
            "422" => {
                when(true, ValidationFailed);
                when(self.idempotent, IdempotencyKeyReused);
                when(self.workbook, WorkbookEncrypted);
                when(self.workbook, NotAFormTemplate);
            }
            "428" => when(true, PreconditionRequired),
            "429" => when(true, LoginThrottled),
            "500" => when(true, InternalError),
            "503" => when(true, DatabaseUnavailable),
            _ => {}
        }
        c
    }
}

/// The specific codes of a 409 an operation documents, read from its description: each kind
/// of conflict is named by the words the description uses for it (see `ErrorCode`).
fn conflict_codes(description: &str) -> Vec<ErrorCode> {
    use ErrorCode::*;
    let d = description.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| d.contains(w));
    let mut c = vec![];
    if has(&["already exists", "already has", "already a ", "is taken"]) {
        c.push(AlreadyExists);
    }
    if has(&[
        "status",
        "not pending",
        "not done",
        "already lifted",
        "is not submitted",
    ]) {
        c.push(InvalidTransition);
    }
    if has(&[
        "cannot change once",
        "is published",
        "no longer a draft",
        "reports on this indicator",
    ]) {
        c.push(Locked);
    }
    if has(&["not open"]) {
        c.push(PeriodNotOpen);
    }
    if c.is_empty() {
        c.push(Conflict);
    }
    c
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

/// Adds to every operation the problems its shape can answer, and to each problem answer an
/// example per code it can carry.
pub fn apply(doc: &mut Value) {
    let snapshot = doc.clone();
    for (path, method, op) in operations_mut(doc) {
        let shape = Shape::of(&path, &method, op);
        let declared_conflict = op["responses"].get("409").is_some();
        let first_required = first_required_field(&snapshot, op);
        let responses = op["responses"].as_object_mut().expect("responses");
        add_common_problems(responses, &shape);
        for (status, r) in responses.iter_mut() {
            if !status.starts_with('4') && !status.starts_with('5') {
                continue;
            }
            let found = Found {
                shape: &shape,
                status,
                declared_conflict,
                first_required: first_required.as_deref(),
            };
            add_examples(r, &found);
        }
    }
}

/// The problems every operation of this shape can answer, unless it documents them itself.
fn add_common_problems(responses: &mut Map<String, Value>, shape: &Shape) {
    let mut add = |status: &str, description: &str| {
        responses
            .entry(status.to_string())
            .or_insert_with(|| problem(description));
    };
    // Every operation of the document refuses query parameters it does not take.
    add(
        "400",
        "Malformed request: bad JSON or data after it, a bad path parameter, a query \
         parameter the operation does not take or a bad value of one, or a bad header",
    );
    if shape.secured {
        add("401", "Missing, invalid or expired bearer token");
    }
    if shape.body || shape.bodiless {
        add("413", "The body is over 1 MiB");
        add("415", "The body is not `application/json`");
    }
    if shape.body || shape.query {
        add(
            "422",
            "Invalid fields or query parameters, each named in `errors`; a control character \
             other than tab, CR or LF in any text has the code `control_character`",
        );
    } else if shape.bodiless {
        let key = if shape.idempotent {
            "; or the `Idempotency-Key` was used before for a different request: use a new key"
        } else {
            ""
        };
        add(
            "422",
            &format!(
                "A body with a field (`unknown_field`): this operation takes no body; send none, \
                 or `{{}}`{key}"
            ),
        );
    } else if shape.idempotent {
        add(
            "422",
            "The `Idempotency-Key` was used before for a different request: use a new key",
        );
    }
    if shape.idempotent {
        add(
            "409",
            "A request with the same `Idempotency-Key` is still being processed",
        );
    }
    if shape.api {
        add("500", "Internal error; the body carries the request id");
        add(
            "503",
            "The database is unavailable for now; nothing was changed: retry after \
             `Retry-After` seconds",
        );
    }
}

/// One problem answer of an operation, and what decides its examples.
struct Found<'a> {
    shape: &'a Shape,
    status: &'a str,
    /// The handler documents a 409 of its own.
    declared_conflict: bool,
    first_required: Option<&'a str>,
}

/// Gives a problem answer one example per code it can carry; a handler's own example stays,
/// under its code.
fn add_examples(r: &mut Value, f: &Found) {
    let description = r["description"].as_str().unwrap_or_default().to_string();
    let Some(media) = r.pointer_mut("/content/application~1problem+json") else {
        return;
    };
    let mut examples = Map::new();
    if let Some(own) = media.as_object_mut().and_then(|m| m.remove("example")) {
        let code = own["code"].as_str().unwrap_or_default().to_string();
        let summary = own["title"].clone();
        examples.insert(code, json!({ "summary": summary, "value": own }));
    }
    let mut codes = f.shape.codes(f.status);
    if f.status == "409" && f.declared_conflict {
        codes.retain(|c| *c != ErrorCode::Conflict);
        codes.extend(conflict_codes(&description));
    }
    for code in codes {
        if (code == ErrorCode::Conflict && !f.declared_conflict)
            || examples.contains_key(code.as_str())
        {
            continue;
        }
        let value = example(f.shape, code, &description, f.first_required);
        examples.insert(
            code.as_str().into(),
            json!({ "summary": code.title(), "value": value }),
        );
    }
    media["examples"] = Value::Object(examples);
}

/// The first required field of the operation's request body, for a validation example.
fn first_required_field(doc: &Value, op: &Value) -> Option<String> {
    let mut s = op.pointer("/requestBody/content/application~1json/schema")?;
    for _ in 0..3 {
        if let Some(name) = ref_name(s) {
            s = schema(doc, name)?;
        } else if let Some(first) = s.get("oneOf").and_then(|o| o.get(0)) {
            s = first;
        } else {
            break;
        }
    }
    s["required"].get(0)?.as_str().map(str::to_string)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
