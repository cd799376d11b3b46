//! `examples/feed-follow.sh`, the README's change-feed follower, against a real server: it
//! reads the whole feed, resumes from the cursor it saved, and after 410 `cursor_expired`
//! reconciles and starts again from the oldest event kept. It needs bash, curl and jq.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::retention::{backdate, five_events};
use super::*;
use crate::helpers::*;

/// What one run of the script printed.
struct Run {
    /// The `seq` of each event it handled, in order.
    seqs: Vec<i64>,
    /// The lines of its reconciliation.
    reconciled: Vec<Value>,
    stdout: String,
    stderr: String,
}

/// Runs the script to its end against `app`, keeping its client and cursor in `state`.
async fn follow(app: &TestApp, state: &Path) -> Run {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/feed-follow.sh");
    let (base, state): (String, PathBuf) = (app.address.clone(), state.into());
    // The server runs on this test's runtime: wait for the script without blocking it.
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&script)
            .env("BM", base)
            .env("BM_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("FEED_STATE", state)
            .env_remove("CLIENT_ID")
            .env_remove("FOLLOW")
            .output()
            .unwrap_or_else(|e| panic!("{} runs: {e}", script.display()))
    })
    .await
    .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let lines: Vec<Value> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (events, reconciled): (Vec<Value>, Vec<Value>) =
        lines.into_iter().partition(|l| l.get("seq").is_some());
    Run {
        seqs: seqs(&events),
        reconciled,
        stdout,
        stderr,
    }
}

#[tokio::test]
async fn the_feed_follower_resumes_from_its_saved_cursor_and_starts_over_after_a_410() {
    let app = spawn_app().await;
    let c = five_events(&app).await;
    let state = Scratch::folder();

    let first = follow(&app, &state.dir).await;
    assert_eq!(first.seqs, [1, 2, 3, 4, 5], "{}", first.stdout);
    assert!(
        first.stdout.ends_with("caught up: cursor 5\n"),
        "{}",
        first.stdout
    );
    let again = follow(&app, &state.dir).await;
    assert!(again.seqs.is_empty(), "nothing new: {}", again.stdout);

    let close = format!("/api/v1/periods/{}/close", c.period);
    let reopen = format!("/api/v1/periods/{}/open", c.period);
    c.roles.finance.act(&close).await;
    assert_eq!(follow(&app, &state.dir).await.seqs, [6]);

    // Events 7 and 8; then 7 (after the saved cursor) and all before it pass the retention.
    c.roles.finance.act(&reopen).await;
    c.roles.finance.act(&close).await;
    backdate(&app, 7, 401).await;
    let other = spawn_with(app.settings.clone()).await;
    let after_gap = follow(&other, &state.dir).await;
    assert!(
        after_gap.stderr.contains("deleted by the retention"),
        "{}",
        after_gap.stderr
    );
    assert_eq!(after_gap.reconciled.len(), 1, "{}", after_gap.stdout);
    assert_eq!(after_gap.reconciled[0]["period"], c.period.as_str());
    assert_eq!(after_gap.reconciled[0]["forms"], 1);
    assert_eq!(after_gap.seqs, [8], "from the oldest event kept");
    assert_eq!(follow(&other, &state.dir).await.seqs, Vec::<i64>::new());
}
