//! Managing clients: admin only, strict input, the secret shown once, ETags and 404s, and
//! clients kept apart from the users.

use reqwest::Method;
use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_new_clients_secret_is_shown_once_and_never_read_back() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let r = admin
        .post(
            "/api/v1/clients",
            json!({"name": "province-platform", "role": "viewer", "expires_at": "2099-12-31T16:00:00Z"}),
        )
        .await;
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let tag = etag_of(&r);
    let created = ok(r, 201).await;
    let secret = created["client_secret"].as_str().unwrap();
    assert_eq!(secret.len(), 43, "32 random bytes, base64url");
    assert_eq!(created["client_id"], created["id"]);
    assert_eq!(created["role"], "viewer");
    assert_eq!(created["enabled"], true);
    assert_eq!(created["expired"], false);
    assert_eq!(created["expires_at"], "2099-12-31T16:00:00Z");
    assert_eq!(
        location,
        format!("/api/v1/clients/{}", created["id"].as_str().unwrap())
    );

    let r = admin.get(&location).await;
    assert_eq!(etag_of(&r), tag);
    let read = ok(r, 200).await;
    assert!(read.get("client_secret").is_none(), "{read}");
    assert_eq!(read["name"], "province-platform");
    let list = ok(admin.get("/api/v1/clients").await, 200).await;
    assert_eq!(list["total"], 1);
    assert!(list["items"][0].get("client_secret").is_none());
    let text = ok(
        admin
            .get("/api/v1/audit-events?resource_type=api_client")
            .await,
        200,
    )
    .await;
    assert!(
        !text.to_string().contains(secret),
        "the audit trail never holds the secret"
    );
}

#[tokio::test]
async fn a_retried_create_answers_the_first_client_without_its_secret() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let body = json!({"name": "nightly-pull", "role": "finance"});
    let send = || {
        app.req(Method::POST, "/api/v1/clients", Some(&admin))
            .header("Idempotency-Key", "client-1")
            .json(&body)
    };
    let first = ok(app.send(send()).await, 201).await;
    let r = app.send(send()).await;
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    let again = ok(r, 201).await;
    assert_eq!(again["id"], first["id"]);
    assert!(first["client_secret"].is_string());
    assert!(
        again.get("client_secret").is_none(),
        "the secret is never stored"
    );
    let list = ok(admin.get("/api/v1/clients").await, 200).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn clients_are_not_users_and_users_are_not_clients() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let c = viewer_client(&app, "province-platform").await;
    let users = ok(admin.get("/api/v1/users?per_page=200").await, 200).await;
    assert_eq!(users["total"], 1, "only the admin: {users}");
    let r = admin.get(&format!("/api/v1/users/{}", c.id)).await;
    assert_problem(r, 404, "not_found").await;
    let r = admin
        .post(
            &format!("/api/v1/users/{}/password", c.id),
            json!({"password": "a password for a client"}),
        )
        .await;
    assert_problem(r, 404, "not_found").await;
    let me = ok(admin.get("/api/v1/me").await, 200).await;
    let r = admin
        .get(&format!("/api/v1/clients/{}", me["id"].as_str().unwrap()))
        .await;
    assert_problem(r, 404, "not_found").await;
    // A client's name may be a person's username too: they never meet.
    let viewer = app.sign_up("province-platform", "viewer", None).await;
    ok(viewer.get("/api/v1/me").await, 200).await;
    let r = app.try_login("client:province-platform", &c.secret).await;
    assert_problem(r, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn only_the_admin_manages_clients() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let c = viewer_client(&app, "province-platform").await;
    let one = format!("/api/v1/clients/{}", c.id);
    let rotate = format!("{one}/rotate");
    for who in [&roles.finance, &roles.reporter, &roles.viewer] {
        for r in [
            who.get("/api/v1/clients").await,
            who.get(&one).await,
            who.post("/api/v1/clients", json!({"name": "mine", "role": "viewer"}))
                .await,
            who.patch(&one, Some("\"1\""), json!({"enabled": false}))
                .await,
            who.post(&rotate, json!({})).await,
        ] {
            assert_problem(r, 403, "forbidden").await;
        }
    }
    // Nor does a client, even a finance one.
    let fin = new_client(&app, json!({"name": "fin-bot", "role": "finance"})).await;
    let bot = client_session(&app, &fin).await;
    assert_problem(bot.get("/api/v1/clients").await, 403, "forbidden").await;
    let still = ok(roles.admin.get(&one).await, 200).await;
    assert_eq!(still["version"], 1, "nothing changed");
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_created() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let unit = app.unit("U1").await.id;
    viewer_client(&app, "taken-name").await;
    for (body, field, code) in [
        (json!({"name": "ab", "role": "viewer"}), "name", "invalid"),
        (
            json!({"name": "has space", "role": "viewer"}),
            "name",
            "invalid",
        ),
        (
            json!({"name": "a\u{0007}bc", "role": "viewer"}),
            "name",
            "control_character",
        ),
        (
            json!({"name": "bot", "role": "admin"}),
            "role",
            "not_allowed",
        ),
        (json!({"name": "bot", "role": "root"}), "role", "invalid"),
        (
            json!({"name": "bot", "role": "reporter"}),
            "unit_id",
            "required",
        ),
        (
            json!({"name": "bot", "role": "reporter", "unit_id": uuid::Uuid::nil()}),
            "unit_id",
            "unknown",
        ),
        (
            json!({"name": "bot", "role": "viewer", "expires_at": "2020-01-01T00:00:00Z"}),
            "expires_at",
            "in_the_past",
        ),
        (
            json!({"name": "bot", "role": "viewer", "expires_at": "tomorrow"}),
            "expires_at",
            "invalid",
        ),
        (
            json!({"name": "bot", "role": "viewer", "secret": "mine"}),
            "secret",
            "unknown_field",
        ),
        (json!({"role": "viewer"}), "name", "required"),
    ] {
        let r = admin.post("/api/v1/clients", body.clone()).await;
        let p = assert_problem(r, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], field, "{body}: {p}");
        assert_eq!(p["errors"][0]["code"], code, "{body}: {p}");
    }
    let r = admin
        .post(
            "/api/v1/clients",
            json!({"name": "taken-name", "role": "viewer"}),
        )
        .await;
    assert_problem(r, 409, "already_exists").await;
    let ok_reporter = json!({"name": "unit-bot", "role": "reporter", "unit_id": unit});
    ok(admin.post("/api/v1/clients", ok_reporter).await, 201).await;
    let list = ok(admin.get("/api/v1/clients").await, 200).await;
    assert_eq!(list["total"], 2);
    let r = admin
        .get(&format!("/api/v1/clients/{}", uuid::Uuid::nil()))
        .await;
    assert_problem(r, 404, "not_found").await;
}

#[tokio::test]
async fn a_client_is_changed_with_if_match_and_listed_by_its_fields() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let unit = app.unit("U1").await.id;
    let c = viewer_client(&app, "province-platform").await;
    let one = format!("/api/v1/clients/{}", c.id);
    let body = json!({"name": "unit-bot", "role": "reporter", "unit_id": unit});
    let r = admin.patch(&one, None, body.clone()).await;
    assert_problem(r, 428, "precondition_required").await;
    let r = admin.patch(&one, Some("\"9\""), body.clone()).await;
    assert_problem(r, 412, "precondition_failed").await;
    let r = admin
        .patch(&one, Some("\"1\""), json!({"role": "reporter"}))
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "unit_id");
    let r = admin.patch(&one, Some("\"1\""), json!({"bogus": 1})).await;
    assert_problem(r, 422, "validation_failed").await;
    let r = admin.patch(&one, Some("\"1\""), body).await;
    assert_eq!(etag_of(&r), "\"2\"");
    let changed = ok(r, 200).await;
    assert_eq!(changed["name"], "unit-bot");
    assert_eq!(changed["role"], "reporter");
    assert_eq!(changed["unit_id"], unit.to_string());
    assert!(changed.get("client_secret").is_none());
    let later = json!({"expires_at": "2099-01-01T00:00:00+08:00", "enabled": false});
    let changed = ok(admin.patch(&one, Some("\"2\""), later).await, 200).await;
    assert_eq!(changed["expires_at"], "2098-12-31T16:00:00Z");
    assert_eq!(changed["enabled"], false);
    let cleared = ok(
        admin
            .patch(&one, Some("\"3\""), json!({"expires_at": null}))
            .await,
        200,
    )
    .await;
    assert_eq!(cleared["expires_at"], Value::Null);

    viewer_client(&app, "other-bot").await;
    for (query, total) in [
        ("", 2),
        ("?role=reporter", 1),
        ("?enabled=false", 1),
        ("?enabled=true&role=viewer", 1),
        (&format!("?unit_id={unit}"), 1),
        ("?page=2&per_page=1", 2),
    ] {
        let list = ok(admin.get(&format!("/api/v1/clients{query}")).await, 200).await;
        assert_eq!(list["total"], total, "{query}");
    }
    let page = ok(admin.get("/api/v1/clients?per_page=1").await, 200).await;
    assert_eq!(page["items"][0]["name"], "other-bot", "ordered by name");
    let audit = ok(
        admin
            .get("/api/v1/audit-events?action=api_client.update")
            .await,
        200,
    )
    .await;
    assert_eq!(audit["total"], 3);
    assert_eq!(audit["items"][0]["actor_username"], "admin");
}
