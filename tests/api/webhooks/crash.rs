//! An instance that dies mid-delivery: the attempt it had begun is recorded nowhere, its lease
//! runs out, and another instance makes it again with the same `webhook-id`, which the
//! receiver drops as already processed.

use std::collections::BTreeSet;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use budget_monitor::startup::Application;
use tokio::sync::oneshot;

use super::*;

/// An instance on a runtime of its own, so that dropping that runtime ends its webhook worker
/// and the attempts under way at once, as if the process had died.
struct Doomed {
    address: String,
    handle: ServerHandle,
    kill: oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Doomed {
    fn start(settings: Settings) -> Doomed {
        let (ready, started) = std::sync::mpsc::channel();
        let (kill, killed) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let app = Application::build(settings).await.unwrap();
                ready.send((app.port(), app.handle())).unwrap();
                tokio::select! {
                    _ = app.run_until_stopped() => {}
                    _ = killed => {}
                }
            });
            rt.shutdown_background();
        });
        let (port, handle) = started.recv().unwrap();
        Doomed {
            address: format!("http://127.0.0.1:{port}"),
            handle,
            kill,
            thread,
        }
    }

    /// Stops serving, then drops everything the instance was doing.
    async fn crash(self) {
        self.handle.stop(false).await;
        self.kill.send(()).unwrap();
        tokio::task::spawn_blocking(move || self.thread.join().unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_attempt_cut_off_by_a_crash_is_made_again_with_the_same_webhook_id() {
    let scratch = Scratch::new().await;
    let mut settings = test_settings(scratch.dir.clone(), scratch.url.clone());
    fast(&mut settings);
    // Leases last the timeout plus 5 s: 6 s here.
    settings.webhooks.timeout = Duration::from_secs(1);
    let receiver = Receiver::start(&[Reply(200, Duration::from_millis(800))]).await;
    let (setup, handle, running) = spawn_stoppable(settings.clone()).await;
    let hook = register(&setup.as_admin().await, &receiver.url, &["period.opened"]).await;
    let finance = setup.as_finance().await;
    let period = finance.new_period(2026, "h1").await;
    handle.stop(true).await;
    running.await.unwrap().unwrap();

    // The doomed instance opens the period and starts delivering; it dies while the receiver
    // holds the request.
    let doomed = Doomed::start(settings.clone());
    let open = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/periods/{}/open",
            doomed.address, period.id
        ))
        .bearer_auth(&finance.token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);
    receiver.wait_for(1).await;
    doomed.crash().await;

    let after = spawn_with(settings).await;
    let admin = after.as_admin().await;
    let d = settled(&admin, &hook, "delivered").await;
    assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d:#}");
    let got = receiver.received();
    assert_eq!(got.len(), 2, "the cut-off attempt and the one made again");
    let processed: BTreeSet<_> = got.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        processed.len(),
        1,
        "the receiver drops the repeated webhook-id"
    );
    assert_eq!(got[1].id, d["event_id"].as_str().unwrap());
}
