//! The OpenAPI document states per kind of item which fields are required and which the kind
//! does not have; the service must agree with it, field by field.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn the_document_and_the_service_agree_on_what_each_item_kind_requires() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let spec = budget_monitor::http::document();
    let schemas = &spec["components"]["schemas"];
    let variants: Vec<Value> = schemas["CreateItemRequest"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
            schemas[name].clone()
        })
        .collect();
    assert_eq!(variants.len(), 3);
    let unit = roles.unit.to_string();
    let body_of = |v: &Value| {
        let mut b = v["example"].clone();
        b["unit_id"] = json!(unit);
        b
    };
    // Every kind's example is accepted as it stands.
    let mut created = std::collections::HashMap::new();
    for v in &variants {
        let r = app.post("/api/v1/items", &roles.finance, body_of(v)).await;
        assert_eq!(r.status(), 201, "{}", v["example"]);
        let item: Value = r.json().await.unwrap();
        assert_eq!(item["kind"], v["properties"]["kind"]["const"]);
        created.insert(item["kind"].as_str().unwrap().to_string(), item);
    }
    let previous = app
        .post(
            "/api/v1/items",
            &roles.finance,
            json!({"unit_id": unit, "year": 2025, "kind": "project", "name": "维修改造工程",
                   "budget": {"fiscal": "10", "union": "0"}, "start_year": 2025, "end_year": 2027}),
        )
        .await;
    assert_eq!(previous.status(), 201);
    let previous: Value = previous.json().await.unwrap();
    // A value of each field some kind has, valid for the kind that has it.
    let values = json!({
        "start_year": 2025, "end_year": 2027, "funding_source": "own",
        "parent_id": created["special_fund"]["id"], "previous_item_id": previous["id"],
    });
    for v in &variants {
        let kind = v["properties"]["kind"]["const"].as_str().unwrap();
        for field in v["required"].as_array().unwrap() {
            let field = field.as_str().unwrap();
            let mut body = body_of(v);
            body.as_object_mut().unwrap().remove(field);
            let r = app.post("/api/v1/items", &roles.finance, body).await;
            let p = assert_problem(r, 422, "validation_failed").await;
            assert!(
                p["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["field"] == field),
                "{kind} without {field}: {p}"
            );
        }
        for (field, value) in values.as_object().unwrap() {
            let mut body = body_of(v);
            body[field] = value.clone();
            let r = app.post("/api/v1/items", &roles.finance, body).await;
            if v["properties"].get(field).is_some() {
                // A field the kind has, with a value of its own: accepted, except a second
                // overall item for the unit and year.
                assert!(
                    r.status() == 201 || (kind == "overall" && r.status() == 409),
                    "{kind} with {field}: {}",
                    r.status()
                );
            } else {
                assert_problem(r, 422, "validation_failed").await;
            }
        }
    }
}
