use serde_json::{json, Value};

use crate::helpers::*;

const UNITS: &str = "/api/v1/units";

#[tokio::test]
async fn admin_creates_reads_and_lists_units() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let created = admin
        .created(
            UNITS,
            json!({"code": "ZZB", "name": "组织部", "kind": "department"}),
        )
        .await;
    assert_eq!(created.etag, "\"1\"");
    let id = created.id;
    admin.created(UNITS, json!({"code": "XJ-1", "name": "下级工会", "kind": "subordinate_union", "parent_id": id})).await;

    let read = admin.read(&format!("{UNITS}/{id}")).await;
    assert_eq!(read, created.body);
    assert_eq!(read["name"], "组织部");

    let list = admin.read(UNITS).await;
    assert_eq!(list["total"], 2);
    assert_eq!(list["page"], 1);
    assert_eq!(list["per_page"], 50);
    assert_eq!(list["items"][0]["code"], "XJ-1");
    assert_eq!(admin.total("/api/v1/units?kind=department").await, 1);
    let children = admin.read(&format!("{UNITS}?parent_id={id}")).await;
    assert_eq!(children["items"][0]["code"], "XJ-1");
}

#[tokio::test]
async fn every_role_reads_units_but_only_admin_writes_them() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let unit_path = format!("{UNITS}/{}", roles.unit);
    for s in [&roles.admin, &roles.finance, &roles.reporter, &roles.viewer] {
        s.read(UNITS).await;
        s.read(&unit_path).await;
    }
    for s in [&roles.finance, &roles.reporter, &roles.viewer] {
        let new = json!({"code": "NEW", "name": "新", "kind": "department"});
        s.post_is(UNITS, new, FORBIDDEN).await;
        let rename = json!({"name": "改名"});
        s.patch_is(&unit_path, Some("\"1\""), rename, FORBIDDEN)
            .await;
    }
    assert_eq!(roles.admin.total(UNITS).await, 1, "nothing was created");
    let unit = roles.admin.read(&unit_path).await;
    assert_eq!(unit["version"], 1, "nothing was changed");
}

#[tokio::test]
async fn updating_a_unit_needs_the_current_etag() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let id = app.unit("BGS").await.id;
    let path = format!("{UNITS}/{id}");
    let name = |n: &str| json!({ "name": n });
    let required = Expect::Problem(428, "precondition_required");
    admin.patch_is(&path, None, name("办公室"), required).await;
    let stale = PRECONDITION_FAILED;
    admin
        .patch_is(&path, Some("\"7\""), name("办公室"), stale)
        .await;
    assert_eq!(admin.read(&path).await["name"], "单位BGS");

    let r = admin.patch(&path, Some("\"1\""), name("办公室")).await;
    assert_eq!(r.headers()["etag"], "\"2\"");
    let updated = ok(r, 200).await;
    assert_eq!(updated["name"], "办公室");
    assert_eq!(updated["code"], "BGS");
    // The old tag is now stale.
    admin.patch_is(&path, Some("\"1\""), name("x"), stale).await;
    let read = admin.get(&path).await;
    assert_eq!(read.headers()["etag"], "\"2\"");
}

#[tokio::test]
async fn an_edit_that_changes_nothing_keeps_the_version_and_writes_no_event() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let id = app.unit("BGS").await.id;
    let path = format!("{UNITS}/{id}");
    let before = admin.read(&path).await;
    for body in [
        json!({}),
        json!({"name": "单位BGS"}),
        json!({"code": "BGS", "kind": "department"}),
    ] {
        let r = admin.patch(&path, Some("\"1\""), body.clone()).await;
        assert_eq!(r.headers()["etag"], "\"1\"", "{body}");
        assert_eq!(ok(r, 200).await, before, "{body}");
    }
    assert!(app.audit(&admin, "action=unit.update").await.is_empty());
    // Another client's tag still holds; a real change moves the version on, once.
    let r = admin
        .patch(&path, Some("\"1\""), json!({"name": "办公室"}))
        .await;
    assert_eq!(r.headers()["etag"], "\"2\"");
    assert_eq!(app.audit(&admin, "action=unit.update").await.len(), 1);
    // Still checked first: a stale tag is 412 even for nothing to change.
    admin
        .patch_is(&path, Some("\"1\""), json!({}), PRECONDITION_FAILED)
        .await;
}

#[tokio::test]
async fn unit_codes_are_unique_and_parents_must_exist_without_cycles() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let a = app.unit("A").await.id;
    let again = json!({"code": "A", "name": "again", "kind": "department"});
    admin.post_is(UNITS, again, ALREADY_EXISTS).await;
    let orphan =
        json!({"code": "B", "name": "b", "kind": "department", "parent_id": uuid::Uuid::new_v4()});
    admin.post_is(UNITS, orphan, invalid("parent_id")).await;
    let b = json!({"code": "B", "name": "b", "kind": "department", "parent_id": a});
    let b = admin.created(UNITS, b).await.id;
    let cycle = json!({ "parent_id": b });
    let a_path = format!("{UNITS}/{a}");
    let p = admin
        .patch_is(&a_path, Some("\"1\""), cycle, VALIDATION_FAILED)
        .await;
    assert_eq!(p["errors"][0]["code"], "cycle");
    // Renaming to a taken code conflicts; clearing a parent with null works.
    let bpath = format!("{UNITS}/{b}");
    let taken = json!({"code": "A"});
    admin
        .patch_is(&bpath, Some("\"1\""), taken, ALREADY_EXISTS)
        .await;
    let clear = json!({"parent_id": null});
    let v = admin.patch_is(&bpath, Some("\"1\""), clear, 200).await;
    assert_eq!(v["parent_id"], Value::Null);
}

#[tokio::test]
async fn invalid_unit_fields_are_all_named_and_nothing_is_written() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let bad = json!({"code": "has space", "name": "  ", "kind": "department"});
    let p = admin.post_is(UNITS, bad, VALIDATION_FAILED).await;
    assert_eq!(column(&p["errors"], "field"), vec!["code", "name"]);
    let ministry = json!({"code": "OK", "name": "x", "kind": "ministry"});
    admin.post_is(UNITS, ministry, invalid("kind")).await;
    assert_eq!(admin.total(UNITS).await, 0);
}

#[tokio::test]
async fn pages_are_bounded_and_stable() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    for code in ["C", "A", "B"] {
        app.unit(code).await;
    }
    let p1 = admin.read("/api/v1/units?per_page=2&page=1").await;
    let p2 = admin.read("/api/v1/units?per_page=2&page=2").await;
    assert_eq!(p1["total"], 3);
    let codes = [column(&p1["items"], "code"), column(&p2["items"], "code")];
    assert_eq!(codes.concat(), vec!["A", "B", "C"]);
    for q in ["per_page=201", "per_page=0", "page=0"] {
        let path = format!("{UNITS}?{q}");
        admin.get_is(&path, VALIDATION_FAILED).await;
    }
    let bad_page = Expect::Problem(400, "invalid_query_parameter");
    admin.get_is("/api/v1/units?page=abc", bad_page).await;
    admin.read("/api/v1/units?per_page=200").await;
}
