//! Shapes of the document that utoipa's derives cannot say: list envelopes that reuse their
//! item's schema, the flattened form, the per-kind item requests, public operations, downloads,
//! response headers, servers and examples.

use serde_json::{json, Map, Value};

mod item_kinds;

use item_kinds::item_kinds;

use super::{operations_mut, ref_name, schema, schema_ref};

/// Prefix utoipa gives the concrete `Paginated<T>` schemas.
const PAGE_PREFIX: &str = "Paginated_";

pub fn apply(doc: &mut Value) {
    operational_out(doc);
    doc["servers"] =
        json!([{ "url": "/", "description": "The server this document is served from" }]);
    pages(doc);
    flatten(doc, "SubmissionResponse");
    item_kinds(doc);
    for (_, _, op) in operations_mut(doc) {
        // Operations utoipa documents without a security requirement need no token.
        if op.get("security").is_none() {
            op["security"] = json!([]);
        }
        downloads(op);
    }
}

/// `/healthz` and `/readyz` are for orchestrators, not integrators: they are routed (and
/// answer 405 to other methods) but are not part of the document; the README describes them.
/// `/metrics` is documented, for its format and its token.
fn operational_out(doc: &mut Value) {
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.retain(|p, _| p.starts_with("/api/") || p == "/metrics");
    }
    if let Some(tags) = doc["tags"].as_array_mut() {
        tags.retain(|t| t["name"] != "operations");
    }
}

/// Removes the component schemas nothing refers to any more (the parts of a flattened form).
pub fn prune(doc: &mut Value) {
    loop {
        let mut used = std::collections::BTreeSet::new();
        let names: Vec<String> = doc["components"]["schemas"]
            .as_object()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        collect_refs(&doc["paths"], &mut used);
        for name in &names {
            let mut inner = std::collections::BTreeSet::new();
            collect_refs(&doc["components"]["schemas"][name], &mut inner);
            inner.remove(name.as_str());
            used.extend(inner);
        }
        let unused: Vec<&String> = names
            .iter()
            .filter(|n| !used.contains(n.as_str()))
            .collect();
        if unused.is_empty() {
            return;
        }
        let schemas = doc["components"]["schemas"]
            .as_object_mut()
            .expect("schemas");
        for n in unused {
            schemas.remove(n);
        }
    }
}

fn collect_refs<'a>(v: &'a Value, into: &mut std::collections::BTreeSet<&'a str>) {
    match v {
        Value::Object(o) => {
            if let Some(name) = ref_name(v) {
                into.insert(name);
            }
            o.values().for_each(|x| collect_refs(x, into));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, into)),
        _ => {}
    }
}

/// Each list envelope refers to its item's one schema instead of inlining a copy of it.
fn pages(doc: &mut Value) {
    let names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .map(|s| {
            s.keys()
                .filter(|k| k.starts_with(PAGE_PREFIX))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for name in names {
        let item = name[PAGE_PREFIX.len()..].to_string();
        let page = &mut doc["components"]["schemas"][&name];
        page["description"] = json!(format!(
            "One page of `{item}`, in a stable order, with the number of matches over all pages."
        ));
        page["properties"]["items"] = json!({ "type": "array", "items": schema_ref(&item) });
    }
}

/// Replaces an `allOf` of objects by one object with all their properties. A response that
/// includes a request's schema would otherwise inherit its `additionalProperties: false` and
/// forbid its own fields.
fn flatten(doc: &mut Value, name: &str) {
    let Some(parts) = schema(doc, name)
        .and_then(|s| s.get("allOf"))
        .and_then(Value::as_array)
        .cloned()
    else {
        return;
    };
    let mut properties = Map::new();
    let mut required: Vec<Value> = vec![];
    let mut example = Map::new();
    for part in parts {
        let part = match ref_name(&part) {
            Some(r) => schema(doc, r).cloned().unwrap_or_default(),
            None => part,
        };
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = part.get("required").and_then(Value::as_array) {
            required.extend(r.iter().cloned());
        }
        if let Some(e) = part.get("example").and_then(Value::as_object) {
            example.extend(e.clone());
        }
    }
    let target = &mut doc["components"]["schemas"][name];
    let obj = target.as_object_mut().expect("a schema object");
    obj.remove("allOf");
    obj.insert("type".into(), json!("object"));
    obj.insert("properties".into(), Value::Object(properties));
    obj.insert("required".into(), Value::Array(required));
    if let Some(own) = obj.get("example").and_then(Value::as_object) {
        example.extend(own.clone());
    }
    obj.insert("example".into(), Value::Object(example));
}

/// The response headers the service sends, described once and referred to.
const HEADERS: [(&str, &str, &str); 5] = [
    (
        "ETag",
        "The version of the resource as a strong entity tag (its `version` in quotes). Send it \
         back as `If-Match` to change the resource. An idempotent replay sends the first answer's, \
         the version as created (the resource may have changed since).",
        r#""3""#,
    ),
    (
        "Location",
        "Where the created resource can be read; an idempotent replay sends it again.",
        "/api/v1/units/0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90",
    ),
    (
        "Idempotent-Replayed",
        "`true` when this answer is the stored first response to an earlier request with the \
         same `Idempotency-Key` (nothing was created again); absent otherwise.",
        "true",
    ),
    ("Retry-After", "Seconds to wait before trying again.", "900"),
    (
        "X-Request-Id",
        "The server's id of this request, a new UUID for every request. Logged with the \
         request and given in problem bodies and audit events. An `X-Request-Id` sent by the \
         client is not echoed: it is kept as the audit events' `client_request_id` and logged \
         beside the server's id.",
        "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10",
    ),
];

/// Refers every response to the header descriptions, adding `X-Request-Id` (sent on every
/// answer) and `Idempotent-Replayed` (on the successes of operations that take an
/// `Idempotency-Key`).
pub fn headers(doc: &mut Value) {
    let mut defs = Map::new();
    for (name, description, example) in HEADERS {
        let schema = if name == "Retry-After" {
            json!({ "type": "integer", "minimum": 0, "example": example.parse::<u64>().unwrap_or(0) })
        } else {
            json!({ "type": "string", "example": example })
        };
        let mut h = json!({ "description": description, "schema": schema });
        if name == "X-Request-Id" {
            h["required"] = json!(true);
        }
        defs.insert(name.into(), h);
    }
    doc["components"]["headers"] = Value::Object(defs);
    for (_, _, op) in operations_mut(doc) {
        let idempotent = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        for (status, r) in responses.iter_mut() {
            let hs = r
                .as_object_mut()
                .expect("a response")
                .entry("headers")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("headers");
            if idempotent && status.starts_with('2') {
                hs.insert("Idempotent-Replayed".into(), Value::Null);
            }
            // A busy or unreachable database is worth retrying: the answer may say when.
            if status == "503" {
                hs.insert("Retry-After".into(), Value::Null);
            }
            hs.insert("X-Request-Id".into(), Value::Null);
            for (name, h) in hs.iter_mut() {
                *h = json!({ "$ref": format!("#/components/headers/{name}") });
            }
        }
    }
}

/// Downloads are binary content of their media type (the metrics are text).
fn downloads(op: &mut Value) {
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    for (status, r) in responses.iter_mut() {
        if !status.starts_with('2') {
            continue;
        }
        let Some(content) = r.get_mut("content").and_then(Value::as_object_mut) else {
            continue;
        };
        for (media, c) in content.iter_mut() {
            if !media.contains("json") && !media.starts_with("text/plain") {
                c["schema"] = json!({ "type": "string", "format": "binary" });
            }
        }
    }
}

/// Examples: every enum shows a value, every list envelope a page of its item's example, and
/// every JSON success response its schema's example.
pub fn examples(doc: &mut Value) {
    let names: Vec<String> = doc["components"]["schemas"]
        .as_object()
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for name in &names {
        let s = &mut doc["components"]["schemas"][name];
        if s.get("example").is_none() {
            if let Some(first) = s.get("enum").and_then(|e| e.get(0)).cloned() {
                s["example"] = first;
            }
        }
    }
    for name in names.iter().filter(|n| n.starts_with(PAGE_PREFIX)) {
        let item = example_of(doc, &schema_ref(&name[PAGE_PREFIX.len()..]));
        doc["components"]["schemas"][name]["example"] =
            json!({ "items": [item], "total": 1, "page": 1, "per_page": 50 });
    }
    let snapshot = doc.clone();
    for (_, _, op) in operations_mut(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        for (status, r) in responses.iter_mut() {
            let Some(c) = r.pointer_mut("/content/application~1json") else {
                continue;
            };
            if status.starts_with('2') && c.get("example").is_none() {
                let ex = example_of(&snapshot, &c["schema"]);
                if !ex.is_null() {
                    c["example"] = ex;
                }
            }
        }
    }
}

/// The example of a schema: its own, its component's, or an array of its items'.
fn example_of(doc: &Value, s: &Value) -> Value {
    if let Some(name) = ref_name(s) {
        return schema(doc, name)
            .map(|c| example_of(doc, c))
            .unwrap_or_default();
    }
    if let Some(ex) = s.get("example") {
        return ex.clone();
    }
    if s["type"] == "array" {
        let item = example_of(doc, &s["items"]);
        if !item.is_null() {
            return json!([item]);
        }
    }
    Value::Null
}
