use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn admin_manages_users_and_no_response_shows_a_password_hash() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let unit = app.create_unit(&admin, "ZZB").await;
    let r = app
        .post("/api/v1/users", &admin, json!({"username": "zzb.li", "password": PASSWORD, "role": "reporter", "unit_id": unit}))
        .await;
    assert_eq!(r.status(), 201);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("argon2") && !text.contains("password"),
        "{text}"
    );
    let created: Value = serde_json::from_str(&text).unwrap();
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["unit_id"], unit.to_string());

    let list = app
        .get("/api/v1/users?role=reporter", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(!list.contains("argon2"));
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["total"], 1);
    let all: Value = app.get("/api/v1/users", &admin).await.json().await.unwrap();
    assert_eq!(all["total"], 2);

    // Change role and unit, then reset the password.
    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            Some("\"1\""),
            json!({"role": "viewer", "unit_id": null}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["role"], "viewer");
    assert_eq!(v["unit_id"], Value::Null);
    let r = app
        .post(
            &format!("/api/v1/users/{id}/password"),
            &admin,
            json!({"password": "brand-new-password"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_problem(
        app.try_login("zzb.li", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    let token = app.login("zzb.li", "brand-new-password").await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["role"], "viewer");
}

#[tokio::test]
async fn only_admin_may_touch_users() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let any_user: Value = app
        .get("/api/v1/users?role=viewer", &roles.admin)
        .await
        .json()
        .await
        .unwrap();
    let id = any_user["items"][0]["id"].as_str().unwrap().to_string();
    for token in [&roles.finance, &roles.reporter, &roles.viewer] {
        assert_problem(app.get("/api/v1/users", token).await, 403, "forbidden").await;
        assert_problem(
            app.get(&format!("/api/v1/users/{id}"), token).await,
            403,
            "forbidden",
        )
        .await;
        let r = app
            .post(
                "/api/v1/users",
                token,
                json!({"username": "sneaky", "password": PASSWORD, "role": "admin"}),
            )
            .await;
        assert_problem(r, 403, "forbidden").await;
        let r = app
            .patch(
                &format!("/api/v1/users/{id}"),
                token,
                Some("\"1\""),
                json!({"role": "admin"}),
            )
            .await;
        assert_problem(r, 403, "forbidden").await;
        let r = app
            .post(
                &format!("/api/v1/users/{id}/password"),
                token,
                json!({"password": "0123456789abc"}),
            )
            .await;
        assert_problem(r, 403, "forbidden").await;
    }
    let all: Value = app
        .get("/api/v1/users", &roles.admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 4, "no user was created");
    assert_eq!(app.try_login("sneaky", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn user_rules_are_enforced() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let cases = [
        (
            json!({"username": "no", "password": PASSWORD, "role": "viewer"}),
            "username",
        ),
        (
            json!({"username": "short.pw", "password": "short", "role": "viewer"}),
            "password",
        ),
        (
            json!({"username": "lonely", "password": PASSWORD, "role": "reporter"}),
            "unit_id",
        ),
        (
            json!({"username": "ghost", "password": PASSWORD, "role": "reporter", "unit_id": uuid::Uuid::new_v4()}),
            "unit_id",
        ),
        (
            json!({"username": "boss", "password": PASSWORD, "role": "root"}),
            "role",
        ),
    ];
    for (body, field) in cases {
        let p = assert_problem(
            app.post("/api/v1/users", &admin, body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], field, "{p}");
    }
    app.create_user(&admin, "taken", "viewer", None).await;
    let r = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "taken", "password": PASSWORD, "role": "viewer"}),
        )
        .await;
    assert_problem(r, 409, "already_exists").await;
    let all: Value = app.get("/api/v1/users", &admin).await.json().await.unwrap();
    assert_eq!(all["total"], 2);
}

#[tokio::test]
async fn an_admin_cannot_lock_itself_out() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let path = format!("/api/v1/users/{}", me["id"].as_str().unwrap());
    let r = app
        .patch(&path, &admin, Some("\"1\""), json!({"active": false}))
        .await;
    assert_problem(r, 422, "validation_failed").await;
    let r = app
        .patch(&path, &admin, Some("\"1\""), json!({"role": "viewer"}))
        .await;
    assert_problem(r, 422, "validation_failed").await;
    assert_eq!(app.get("/api/v1/users", &admin).await.status(), 200);
}

#[tokio::test]
async fn updating_a_user_needs_the_current_etag() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, _) = app.create_user(&admin, "viewer.one", "viewer", None).await;
    let path = format!("/api/v1/users/{id}");
    assert_problem(
        app.patch(&path, &admin, None, json!({"role": "finance"}))
            .await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        app.patch(&path, &admin, Some("\"9\""), json!({"role": "finance"}))
            .await,
        412,
        "precondition_failed",
    )
    .await;
    let v: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(v["role"], "viewer");
    assert_eq!(v["version"], 1);
}
