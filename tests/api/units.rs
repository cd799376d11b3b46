use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn admin_creates_reads_and_lists_units() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "ZZB", "name": "组织部", "kind": "department"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let child = app
        .post("/api/v1/units", &admin, json!({"code": "XJ-1", "name": "下级工会", "kind": "subordinate_union", "parent_id": id}))
        .await;
    assert_eq!(child.status(), 201);

    let read: Value = app
        .get(&format!("/api/v1/units/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, created);
    assert_eq!(read["name"], "组织部");

    let list: Value = app.get("/api/v1/units", &admin).await.json().await.unwrap();
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 50);
    assert_eq!(list["items"][0]["code"], "XJ-1");
    let filtered: Value = app
        .get("/api/v1/units?kind=department", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["total"], 1);
    let children: Value = app
        .get(&format!("/api/v1/units?parent_id={id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(children["items"][0]["code"], "XJ-1");
}

#[tokio::test]
async fn every_role_reads_units_but_only_admin_writes_them() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let unit_path = format!("/api/v1/units/{}", roles.unit);
    for token in [&roles.admin, &roles.finance, &roles.reporter, &roles.viewer] {
        assert_eq!(app.get("/api/v1/units", token).await.status(), 200);
        assert_eq!(app.get(&unit_path, token).await.status(), 200);
    }
    for token in [&roles.finance, &roles.reporter, &roles.viewer] {
        let r = app
            .post(
                "/api/v1/units",
                token,
                json!({"code": "NEW", "name": "新", "kind": "department"}),
            )
            .await;
        assert_problem(r, 403, "forbidden").await;
        let r = app
            .patch(&unit_path, token, Some("\"1\""), json!({"name": "改名"}))
            .await;
        assert_problem(r, 403, "forbidden").await;
    }
    let list: Value = app
        .get("/api/v1/units", &roles.admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "nothing was created");
    let unit: Value = app
        .get(&unit_path, &roles.admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unit["version"], 1, "nothing was changed");
}

#[tokio::test]
async fn updating_a_unit_needs_the_current_etag() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = app.create_unit(&admin, "BGS").await;
    let path = format!("/api/v1/units/{id}");

    assert_problem(
        app.patch(&path, &admin, None, json!({"name": "办公室"}))
            .await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        app.patch(&path, &admin, Some("\"7\""), json!({"name": "办公室"}))
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let unchanged: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(unchanged["name"], "单位BGS");

    let r = app
        .patch(&path, &admin, Some("\"1\""), json!({"name": "办公室"}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["name"], "办公室");
    assert_eq!(updated["code"], "BGS");
    // The old tag is now stale.
    assert_problem(
        app.patch(&path, &admin, Some("\"1\""), json!({"name": "x"}))
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let read = app.get(&path, &admin).await;
    assert_eq!(read.headers()["etag"], "\"2\"");
}

#[tokio::test]
async fn unit_codes_are_unique_and_parents_must_exist_without_cycles() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let a = app.create_unit(&admin, "A").await;
    let r = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "A", "name": "again", "kind": "department"}),
        )
        .await;
    assert_problem(r, 409, "already_exists").await;
    let r = app
        .post("/api/v1/units", &admin, json!({"code": "B", "name": "b", "kind": "department", "parent_id": uuid::Uuid::new_v4()}))
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "parent_id");
    let r = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "B", "name": "b", "kind": "department", "parent_id": a}),
        )
        .await;
    let b: Value = r.json().await.unwrap();
    let r = app
        .patch(
            &format!("/api/v1/units/{a}"),
            &admin,
            Some("\"1\""),
            json!({"parent_id": b["id"]}),
        )
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "cycle");
    // Renaming to a taken code conflicts; clearing a parent with null works.
    let bpath = format!("/api/v1/units/{}", b["id"].as_str().unwrap());
    assert_problem(
        app.patch(&bpath, &admin, Some("\"1\""), json!({"code": "A"}))
            .await,
        409,
        "already_exists",
    )
    .await;
    let r = app
        .patch(&bpath, &admin, Some("\"1\""), json!({"parent_id": null}))
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["parent_id"], Value::Null);
}

#[tokio::test]
async fn invalid_unit_fields_are_all_named_and_nothing_is_written() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "has space", "name": "  ", "kind": "department"}),
        )
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["code", "name"]);
    let r = app
        .post(
            "/api/v1/units",
            &admin,
            json!({"code": "OK", "name": "x", "kind": "ministry"}),
        )
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "kind");
    let list: Value = app.get("/api/v1/units", &admin).await.json().await.unwrap();
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn pages_are_bounded_and_stable() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for code in ["C", "A", "B"] {
        app.create_unit(&admin, code).await;
    }
    let p1: Value = app
        .get("/api/v1/units?per_page=2&page=1", &admin)
        .await
        .json()
        .await
        .unwrap();
    let p2: Value = app
        .get("/api/v1/units?per_page=2&page=2", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p1["total"], 3);
    let codes: Vec<&str> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["items"].as_array().unwrap())
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["A", "B", "C"]);
    for q in ["per_page=201", "per_page=0", "page=0"] {
        assert_problem(
            app.get(&format!("/api/v1/units?{q}"), &admin).await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_problem(
        app.get("/api/v1/units?page=abc", &admin).await,
        400,
        "invalid_query_parameter",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/units?per_page=200", &admin).await.status(),
        200
    );
}
