//! Token revocation: a change of a user's password, role, unit or active flag ends every token
//! issued to that user before it; tokens issued after it work, other users' are untouched.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

/// The ETag a user has now.
async fn etag(app: &TestApp, admin: &str, id: Uuid) -> String {
    let r = app.get(&format!("/api/v1/users/{id}"), admin).await;
    assert_eq!(r.status(), 200);
    r.headers()["etag"].to_str().unwrap().to_string()
}

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/me", token).await.status().as_u16()
}

/// A change made by `change` ends `user`'s old token; the bystander's token still works; a
/// token issued after the change works.
async fn assert_change_ends_tokens(
    app: &TestApp,
    admin: &str,
    username: &str,
    password: &str,
    old_token: &str,
    bystander: &str,
) {
    let r = app.get("/api/v1/me", old_token).await;
    let p = assert_problem(r, 401, "invalid_token").await;
    assert!(
        p["detail"].as_str().unwrap().contains("sign in again"),
        "{p}"
    );
    assert_eq!(me_status(app, bystander).await, 200, "another user's token");
    assert_eq!(me_status(app, admin).await, 200, "the admin's own token");
    let fresh = app.login(username, password).await;
    let me: Value = app.get("/api/v1/me", &fresh).await.json().await.unwrap();
    assert_eq!(me["username"], username);
}

struct Setup {
    app: TestApp,
    admin: String,
    unit: Uuid,
    other_unit: Uuid,
    user: Uuid,
    token: String,
    bystander: String,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let unit = app.create_unit(&admin, "T1").await;
    let other_unit = app.create_unit(&admin, "T2").await;
    let (user, token) = app
        .create_user(&admin, "zzb.li", "reporter", Some(unit))
        .await;
    let (_, bystander) = app
        .create_user(&admin, "other.li", "reporter", Some(unit))
        .await;
    assert_eq!(me_status(&app, &token).await, 200);
    Setup {
        app,
        admin,
        unit,
        other_unit,
        user,
        token,
        bystander,
    }
}

#[tokio::test]
async fn a_password_reset_ends_the_users_earlier_tokens() {
    let s = setup().await;
    let r = s
        .app
        .post(
            &format!("/api/v1/users/{}/password", s.user),
            &s.admin,
            json!({"password": "a brand new secret"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_change_ends_tokens(
        &s.app,
        &s.admin,
        "zzb.li",
        "a brand new secret",
        &s.token,
        &s.bystander,
    )
    .await;
}

#[tokio::test]
async fn a_role_change_ends_the_users_earlier_tokens() {
    let s = setup().await;
    let tag = etag(&s.app, &s.admin, s.user).await;
    let r = s
        .app
        .patch(
            &format!("/api/v1/users/{}", s.user),
            &s.admin,
            Some(&tag),
            json!({"role": "viewer", "unit_id": null}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_change_ends_tokens(&s.app, &s.admin, "zzb.li", PASSWORD, &s.token, &s.bystander).await;
}

#[tokio::test]
async fn a_unit_change_ends_the_users_earlier_tokens() {
    let s = setup().await;
    let tag = etag(&s.app, &s.admin, s.user).await;
    let r = s
        .app
        .patch(
            &format!("/api/v1/users/{}", s.user),
            &s.admin,
            Some(&tag),
            json!({"unit_id": s.other_unit}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_change_ends_tokens(&s.app, &s.admin, "zzb.li", PASSWORD, &s.token, &s.bystander).await;
}

#[tokio::test]
async fn deactivating_and_reactivating_leaves_the_earlier_tokens_ended() {
    let s = setup().await;
    let path = format!("/api/v1/users/{}", s.user);
    let tag = etag(&s.app, &s.admin, s.user).await;
    let r = s
        .app
        .patch(&path, &s.admin, Some(&tag), json!({"active": false}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(me_status(&s.app, &s.token).await, 401);
    let tag = etag(&s.app, &s.admin, s.user).await;
    let r = s
        .app
        .patch(&path, &s.admin, Some(&tag), json!({"active": true}))
        .await;
    assert_eq!(r.status(), 200);
    assert_change_ends_tokens(&s.app, &s.admin, "zzb.li", PASSWORD, &s.token, &s.bystander).await;
}

#[tokio::test]
async fn writing_the_same_values_again_keeps_the_users_tokens() {
    let s = setup().await;
    let tag = etag(&s.app, &s.admin, s.user).await;
    let r = s
        .app
        .patch(
            &format!("/api/v1/users/{}", s.user),
            &s.admin,
            Some(&tag),
            json!({"role": "reporter", "unit_id": s.unit, "active": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(me_status(&s.app, &s.token).await, 200);
}

#[tokio::test]
async fn an_admin_resetting_its_own_password_signs_itself_out() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let r = app
        .post(
            &format!("/api/v1/users/{}/password", me["id"].as_str().unwrap()),
            &admin,
            json!({"password": "the admin's new secret"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(me_status(&app, &admin).await, 401);
    let fresh = app.login("admin", "the admin's new secret").await;
    assert_eq!(me_status(&app, &fresh).await, 200);
}
