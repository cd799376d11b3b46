//! An intact chain: each event's place and hashes, as listed and as verified, and who may verify.

use reqwest::Method;
use serde_json::{json, Value};

use super::{app_with_events, cli_verify, events, verify};
use crate::helpers::*;
use budget_monitor::domain::audit_chain::ChainedEvent;

#[tokio::test]
async fn every_event_carries_its_place_in_an_intact_hash_chain() {
    let (app, admin) = app_with_events().await;
    let all = events(&app, &admin).await;
    assert_eq!(all.len(), 5, "a sign-in and four units");
    let mut prev = "0".repeat(64);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e["seq"], i as i64 + 1);
        assert_eq!(
            e["prev_hash"],
            prev.as_str(),
            "event {i} links to the one before"
        );
        let hash = e["hash"].as_str().unwrap();
        assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()));
        prev = hash.to_string();
    }
    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["events_checked"], 5);
    assert_eq!(v["head_seq"], 5);
    assert_eq!(v["last_seq"], 5);
    assert_eq!(v["last_hash"], prev.as_str());
    assert_eq!(v["first_break"], Value::Null);
    let fifth = app.audit(&admin, "seq=5").await;
    assert_eq!(fifth.len(), 1);
    assert_eq!(fifth[0]["hash"], v["last_hash"]);
    // Places in the chain start at 1.
    for bad in ["0", "-1"] {
        let r = app
            .get(&format!("/api/v1/audit-events?seq={bad}"), &admin)
            .await;
        let p = assert_problem(r, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "seq", "{p}");
    }

    let out = cli_verify(&app);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("audit trail intact: 5 events"), "{stdout}");
}

/// The event a listed one stands for, read field by field from its JSON.
fn chained(e: &Value) -> ChainedEvent {
    let text = |k: &str| e[k].as_str().map(str::to_string);
    let uuid = |k: &str| text(k).map(|s| s.parse().unwrap());
    let json = |k: &str| Some(e[k].clone()).filter(|v| !v.is_null());
    ChainedEvent {
        seq: e["seq"].as_i64().unwrap(),
        prev_hash: text("prev_hash").unwrap(),
        id: uuid("id").unwrap(),
        occurred_at: text("occurred_at").unwrap().parse().unwrap(),
        actor_id: uuid("actor_id"),
        actor_username: text("actor_username"),
        actor_role: text("actor_role"),
        actor_unit_id: uuid("actor_unit_id"),
        action: text("action").unwrap(),
        resource_type: text("resource_type").unwrap(),
        resource_id: text("resource_id"),
        request_id: text("request_id").unwrap(),
        client_request_id: text("client_request_id"),
        client_addr: text("client_addr"),
        outcome: text("outcome").unwrap(),
        before: json("before"),
        after: json("after"),
    }
}

#[tokio::test]
async fn a_listed_event_shows_every_field_its_hash_covers_as_stored() {
    let (app, admin) = app_with_events().await;
    let unit = app.create_unit(&admin, "B1").await;
    // A change with a before, an after and the client's own request id.
    let r = app
        .send(
            app.req(
                Method::PATCH,
                &format!("/api/v1/units/{unit}"),
                Some(&admin),
            )
            .header("If-Match", "\"1\"")
            .header("X-Request-Id", "rename-b1")
            .json(&json!({"name": "改名"})),
        )
        .await;
    assert_eq!(r.status(), 200);
    let all = events(&app, &admin).await;
    let renamed = all.last().unwrap();
    assert!(!renamed["before"].is_null() && !renamed["after"].is_null());
    assert_eq!(renamed["client_request_id"], "rename-b1");
    for e in &all {
        assert_eq!(
            chained(e).compute_hash(),
            e["hash"].as_str().unwrap(),
            "{e}"
        );
    }
}

#[tokio::test]
async fn only_admin_and_finance_verify_the_trail() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    assert_eq!(verify(&app, &roles.finance).await["intact"], true);
    for token in [&roles.reporter, &roles.viewer] {
        let r = app.get("/api/v1/audit-events/verify", token).await;
        assert_problem(r, 403, "forbidden").await;
    }
    let r = app
        .send(app.req(Method::GET, "/api/v1/audit-events/verify", None))
        .await;
    assert_problem(r, 401, "missing_token").await;
}
