//! The problem+json answers: the ones every operation of its shape can give are added here (a
//! handler documents only those particular to it), and each problem response gets an example
//! per `code` it can carry, with that status.

use serde_json::{json, Map, Value};

use super::{operations_mut, ref_name, schema};
use crate::error::ErrorCode;

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
    secured: bool,
    idempotent: bool,
    api: bool,
    /// The body may be an XLSX workbook (the form import).
    workbook: bool,
}

impl Shape {
    fn of(path: &str, op: &Value) -> Self {
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
                when(self.body, MalformedJson);
                when(self.path_params, InvalidPathParameter);
                // Every operation refuses query parameters it does not take.
                when(self.api || self.query, InvalidQueryParameter);
                when(self.headers, InvalidHeader);
                when(self.workbook, WorkbookDamaged);
            }
            "401" if self.secured => {
                when(true, MissingToken);
                when(true, InvalidToken);
            }
            "401" => when(true, InvalidCredentials),
            "403" => when(true, Forbidden),
            "404" => when(true, NotFound),
            "409" => {
                when(true, Conflict);
                when(self.idempotent, IdempotencyKeyInFlight);
            }
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

pub fn apply(doc: &mut Value) {
    let snapshot = doc.clone();
    for (path, _, op) in operations_mut(doc) {
        let shape = Shape::of(&path, op);
        let declared_conflict = op["responses"].get("409").is_some();
        let first_required = first_required_field(&snapshot, op);
        let responses = op["responses"].as_object_mut().expect("responses");
        let mut add = |status: &str, description: &str| {
            responses
                .entry(status.to_string())
                .or_insert_with(|| problem(description));
        };
        if shape.api || shape.body || shape.path_params || shape.query || shape.headers {
            add(
                "400",
                "Malformed request: bad JSON or data after it, a bad path parameter, a query \
                 parameter the operation does not take or a bad value of one, or a bad header",
            );
        }
        if shape.secured {
            add("401", "Missing, invalid or expired bearer token");
        }
        if shape.body {
            add("413", "The body is over 1 MiB");
            add("415", "The body is not `application/json`");
        }
        if shape.body || shape.query {
            add(
                "422",
                "Invalid fields or query parameters, each named in `errors`; a control character \
                 other than tab, CR or LF in any text has the code `control_character`",
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
        for (status, r) in responses.iter_mut() {
            if !status.starts_with('4') && !status.starts_with('5') {
                continue;
            }
            let description = r["description"].as_str().unwrap_or_default().to_string();
            let Some(media) = r.pointer_mut("/content/application~1problem+json") else {
                continue;
            };
            // A handler's own example stays, under its code.
            let mut examples = Map::new();
            if let Some(own) = media.as_object_mut().and_then(|m| m.remove("example")) {
                let code = own["code"].as_str().unwrap_or_default().to_string();
                let summary = own["title"].clone();
                examples.insert(code, json!({ "summary": summary, "value": own }));
            }
            let mut codes = shape.codes(status);
            if status == "409" && declared_conflict {
                codes.retain(|c| *c != ErrorCode::Conflict);
                codes.extend(conflict_codes(&description));
            }
            for code in codes {
                if (code == ErrorCode::Conflict && !declared_conflict)
                    || examples.contains_key(code.as_str())
                {
                    continue;
                }
                let value = example(&shape, code, &description, first_required.as_deref());
                examples.insert(
                    code.as_str().into(),
                    json!({ "summary": code.title(), "value": value }),
                );
            }
            media["examples"] = Value::Object(examples);
        }
    }
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
const REQUEST_ID: &str = "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10";
const SAMPLE_ID: &str = "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90";

/// A problem body as the service writes it for `code` on this operation.
fn example(shape: &Shape, code: ErrorCode, description: &str, field: Option<&str>) -> Value {
    let instance = instance(&shape.path);
    let mut errors = vec![];
    let detail = match code {
        ErrorCode::ValidationFailed => {
            let (f, c, m) = match (field, &shape.first_query) {
                (Some(f), _) => (f.to_string(), "required", format!("missing field `{f}`")),
                (None, _) if shape.paged => (
                    "per_page".to_string(),
                    "out_of_range",
                    "must be between 1 and 200".to_string(),
                ),
                (None, q) => (
                    q.clone().unwrap_or_else(|| "body".into()),
                    "control_character",
                    "must not contain control characters other than tab, CR and LF (found U+0000)"
                        .to_string(),
                ),
            };
            errors.push(json!({ "field": f, "code": c, "message": m }));
            format!("{f}: {m}")
        }
        ErrorCode::MalformedJson => {
            "malformed JSON: EOF while parsing an object at line 1 column 1".into()
        }
        ErrorCode::UnsupportedMediaType if shape.workbook => {
            "send the workbook as multipart/form-data (field `file`) or as the body with Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into()
        }
        ErrorCode::UnsupportedMediaType => {
            "the request body must be JSON with Content-Type: application/json".into()
        }
        ErrorCode::PayloadTooLarge if shape.workbook => {
            "the workbook must be at most 5242880 bytes (5 MiB)".into()
        }
        ErrorCode::PayloadTooLarge => "the request body must be at most 1048576 bytes".into(),
        ErrorCode::NotXlsx => {
            "the file is not an XLSX workbook (an .xlsx file is a ZIP package starting with PK)"
                .into()
        }
        ErrorCode::WorkbookEncrypted => {
            "the workbook is protected with a password (encrypted); remove the password and upload it again".into()
        }
        ErrorCode::WorkbookDamaged => {
            "the workbook is damaged and cannot be read (its ZIP package is broken: invalid Zip archive: Could not find EOCD); save it again and upload it again".into()
        }
        ErrorCode::NotAFormTemplate => {
            "this workbook is not a form template of budget-monitor; download one from GET /api/v1/items/{id}/form-template.xlsx".into()
        }
        ErrorCode::InvalidPathParameter => {
            "invalid path parameter: UUID parsing failed: invalid length: expected length 32 for simple format, found 3".into()
        }
        ErrorCode::InvalidQueryParameter if shape.query => {
            "invalid query string: Query deserialize error: invalid digit found in string".into()
        }
        ErrorCode::InvalidQueryParameter => {
            let takes = "this operation takes no query parameters";
            errors.push(json!({ "field": "bogus", "code": "unknown_parameter", "message": takes }));
            format!("unknown query parameter: bogus; {takes}")
        }
        ErrorCode::InvalidHeader if shape.idempotent => {
            "Idempotency-Key must be 1 to 255 visible ASCII characters".into()
        }
        ErrorCode::InvalidHeader => "If-Match is not valid".into(),
        ErrorCode::MissingToken => {
            "send Authorization: Bearer <token> from POST /api/v1/auth/token".into()
        }
        ErrorCode::InvalidToken => "the bearer token is not valid or has expired".into(),
        ErrorCode::InvalidCredentials => "wrong username or password".into(),
        ErrorCode::Forbidden => match description.split_once("Needs the role ") {
            Some((_, roles)) => format!("this action needs the role {}", roles.trim_end_matches('.')),
            None => "this action needs another role".into(),
        },
        ErrorCode::NotFound => format!("{} not found", resource(&shape.path, description)),
        ErrorCode::Conflict
        | ErrorCode::InvalidTransition
        | ErrorCode::AlreadyExists
        | ErrorCode::Locked
        | ErrorCode::PeriodNotOpen => description.to_lowercase(),
        ErrorCode::PreconditionFailed => {
            "the resource is now at version \"4\"; read it again".into()
        }
        ErrorCode::PreconditionRequired => "send the ETag from your last read as If-Match".into(),
        ErrorCode::IdempotencyKeyReused => {
            "this Idempotency-Key was used for a different request; use a new key".into()
        }
        ErrorCode::IdempotencyKeyInFlight => {
            "another request with this Idempotency-Key was processed at the same time".into()
        }
        ErrorCode::LoginThrottled => "too many failed logins; try again in 900 s".into(),
        ErrorCode::InvalidClient => crate::app::auth::CLIENT_FAILED.into(),
        ErrorCode::InvalidRequest => "the token request needs the parameter grant_type".into(),
        ErrorCode::UnsupportedGrantType => {
            "a form-encoded token request takes grant_type=client_credentials only".into()
        }
        ErrorCode::DatabaseUnavailable => {
            format!("the database is unavailable; try again (request id {REQUEST_ID})")
        }
        ErrorCode::InternalError | ErrorCode::RouteNotFound | ErrorCode::MethodNotAllowed => {
            format!("internal error (request id {REQUEST_ID})")
        }
    };
    let mut p = json!({
        "type": format!("urn:budget-monitor:problem:{}", code.as_str()),
        "title": code.title(),
        "status": code.status().as_u16(),
        "detail": detail,
        "instance": instance,
        "code": code.as_str(),
        "request_id": REQUEST_ID,
    });
    if !errors.is_empty() {
        p["errors"] = Value::Array(errors);
    }
    p
}

/// The path with sample ids in place of its parameters.
fn instance(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { SAMPLE_ID } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a 404 of this operation is about: the object its path names, or the one its
/// description names ("Unit not found …").
fn resource(path: &str, description: &str) -> String {
    let segs: Vec<&str> = path.split('/').collect();
    let named = segs
        .iter()
        .rposition(|s| s.starts_with('{'))
        .and_then(|i| i.checked_sub(1))
        .map(|i| segs[i]);
    match named {
        Some(collection) => singular(collection),
        None => description
            .split(" not found")
            .next()
            .unwrap_or("object")
            .to_lowercase(),
    }
}

fn singular(collection: &str) -> String {
    collection
        .trim_end_matches('s')
        .replace('-', " ")
        .to_string()
}
