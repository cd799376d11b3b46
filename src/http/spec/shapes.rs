//! Shapes of the document that utoipa's derives cannot say: list envelopes that reuse their
//! item's schema, the flattened form, the per-kind item requests, public operations, downloads,
//! response headers, servers and examples.

use serde_json::{json, Map, Value};

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
fn operational_out(doc: &mut Value) {
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.retain(|p, _| p.starts_with("/api/"));
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

/// What one kind of item requires and refuses on creation.
pub struct ItemKindRule {
    pub kind: &'static str,
    /// The name of its request schema.
    pub schema: &'static str,
    pub description: &'static str,
    pub required: &'static [&'static str],
    /// Fields this kind does not have (answered 422 when sent with a value).
    pub refused: &'static [&'static str],
}

/// The rules of `domain::item::check_shape` as the document states them (a test checks that
/// the service agrees).
pub const ITEM_KINDS: [ItemKindRule; 3] = [
    ItemKindRule {
        kind: "overall",
        schema: "CreateOverallItemRequest",
        description: "A unit's overall budget (部门整体, form 1): no funding source, parent or project years.",
        required: &[],
        refused: &["start_year", "end_year", "previous_item_id", "funding_source", "parent_id"],
    },
    ItemKindRule {
        kind: "special_fund",
        schema: "CreateSpecialFundItemRequest",
        description: "A special fund (专项资金, form 2): `funding_source` is required; `parent_id` names \
                      the parent fund of a sub-project or an allocation to a subordinate union.",
        required: &["funding_source"],
        refused: &["start_year", "end_year", "previous_item_id"],
    },
    ItemKindRule {
        kind: "project",
        schema: "CreateProjectItemRequest",
        description: "One year of a project (项目; form 3 when key-monitored): `start_year` and \
                      `end_year` are required and must include `year`; `previous_item_id` links \
                      the same project's item of the previous year.",
        required: &["start_year", "end_year"],
        refused: &["funding_source", "parent_id"],
    },
];

/// `CreateItemRequest` becomes one schema per kind, chosen by `kind`, so that each says which
/// fields that kind requires.
fn item_kinds(doc: &mut Value) {
    let Some(base) = schema(doc, "CreateItemRequest").cloned() else {
        return;
    };
    let mut mapping = Map::new();
    let mut variants = vec![];
    for rule in ITEM_KINDS {
        let (kind, name) = (rule.kind, rule.schema);
        let mut v = base.clone();
        v["description"] = json!(rule.description);
        v["example"]["kind"] = json!(kind);
        let props = v["properties"].as_object_mut().expect("item properties");
        props.insert("kind".into(), json!({ "type": "string", "const": kind }));
        for field in rule.refused {
            props.remove(*field);
        }
        for field in rule.required {
            if let Some(p) = props.get_mut(*field) {
                *p = non_null(p.clone());
            }
        }
        let req = v["required"].as_array_mut().expect("required fields");
        req.extend(rule.required.iter().map(|f| json!(f)));
        variant_example(&mut v, kind);
        doc["components"]["schemas"][name] = v;
        mapping.insert(kind.into(), schema_ref(name)["$ref"].clone());
        variants.push(schema_ref(name));
    }
    doc["components"]["schemas"]["CreateItemRequest"] = json!({
        "description": base["description"],
        "oneOf": variants,
        "discriminator": { "propertyName": "kind", "mapping": mapping },
        "example": base["example"],
    });
}

/// An example each kind's own rules accept.
fn variant_example(v: &mut Value, kind: &str) {
    let ex = v["example"].as_object_mut().expect("an example");
    for f in [
        "funding_source",
        "parent_id",
        "start_year",
        "end_year",
        "previous_item_id",
    ] {
        ex.remove(f);
    }
    match kind {
        "overall" => {
            ex.insert("name".into(), json!("组织部整体支出"));
            ex.insert("annual_goal".into(), json!("全年培训1000人次"));
        }
        "special_fund" => {
            ex.insert("funding_source".into(), json!("fiscal_allocation"));
        }
        _ => {
            ex.insert("name".into(), json!("职工服务中心维修改造工程"));
            ex.insert("annual_goal".into(), json!("完成主体结构改造"));
            ex.insert("start_year".into(), json!(2025));
            ex.insert("end_year".into(), json!(2027));
        }
    }
}

/// The same schema without `null` among its types.
fn non_null(p: Value) -> Value {
    if let Some(one_of) = p.get("oneOf").and_then(Value::as_array) {
        let rest: Vec<&Value> = one_of.iter().filter(|s| s["type"] != "null").collect();
        if rest.len() == 1 {
            let mut s = rest[0].clone();
            if let (Some(d), Some(o)) = (p.get("description"), s.as_object_mut()) {
                o.insert("description".into(), d.clone());
            }
            return s;
        }
    }
    let mut p = p;
    if let Some(types) = p.get("type").and_then(Value::as_array) {
        let t: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        p["type"] = if t.len() == 1 {
            t[0].clone()
        } else {
            Value::Array(t)
        };
    }
    p
}

/// The response headers the service sends, described once and referred to.
const HEADERS: [(&str, &str, &str); 5] = [
    (
        "ETag",
        "The version of the resource as a strong entity tag (its `version` in quotes). Send it \
         back as `If-Match` to change the resource. Not sent on an idempotent replay.",
        r#""3""#,
    ),
    (
        "Location",
        "Where the created resource can be read. Not sent on an idempotent replay.",
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

/// Downloads are binary content of their media type.
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
            if !media.contains("json") {
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
