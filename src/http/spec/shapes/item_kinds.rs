//! `CreateItemRequest` as one schema per kind of item, each saying what that kind requires.

use serde_json::{json, Map, Value};

use super::super::{schema, schema_ref};

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
pub(super) fn item_kinds(doc: &mut Value) {
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
