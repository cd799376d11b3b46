//! Traces over OTLP: the binary, started with `OTEL_EXPORTER_OTLP_ENDPOINT`, sends its spans to
//! a stand-in collector (a local HTTP server taking `POST /v1/traces`), each span of a request
//! with the request's id, under the configured service name; what is left is sent at exit.
//!
//! The binary runs as a child process: the tracing subscriber is process-wide, so the tests'
//! own process cannot install one per test.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpResponse, HttpServer};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::json;

use crate::helpers::Scratch;

/// The stand-in collector: the bodies it was sent.
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<Vec<u8>>>>);

impl Collector {
    /// Starts it on a free port; its base URL.
    fn start(&self) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let bodies = self.clone();
        let server = HttpServer::new(move || {
            let bodies = bodies.clone();
            App::new().route(
                "/v1/traces",
                web::post().to(move |body: web::Bytes| {
                    bodies.0.lock().unwrap().push(body.to_vec());
                    async {
                        HttpResponse::Ok()
                            .content_type("application/x-protobuf")
                            .finish()
                    }
                }),
            )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        format!("http://127.0.0.1:{port}")
    }

    /// The spans sent so far, each with its resource's `service.name`.
    fn spans(&self) -> Vec<(String, Span)> {
        let bodies = self.0.lock().unwrap();
        let mut spans = vec![];
        for b in bodies.iter() {
            let export = ExportTraceServiceRequest::decode(b.as_slice()).expect("OTLP protobuf");
            for rs in export.resource_spans {
                let attrs = rs.resource.map(|r| r.attributes).unwrap_or_default();
                let service = text(&attrs, "service.name").unwrap_or_default();
                for ss in rs.scope_spans {
                    spans.extend(ss.spans.into_iter().map(|s| (service.clone(), s)));
                }
            }
        }
        spans
    }

    /// How often `needle` occurs in everything sent so far.
    fn count(&self, needle: &str) -> usize {
        let bodies = self.0.lock().unwrap();
        bodies
            .iter()
            .map(|b| {
                b.windows(needle.len())
                    .filter(|w| *w == needle.as_bytes())
                    .count()
            })
            .sum()
    }

    /// Waits up to 20 s until `needle` was sent at least `times` times.
    async fn wait_for(&self, needle: &str, times: usize) -> usize {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.count(needle) < times && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.count(needle)
    }
}

/// The string attribute `key`, if there is one.
fn text(attrs: &[KeyValue], key: &str) -> Option<String> {
    attrs
        .iter()
        .find(|a| a.key == key)
        .and_then(|a| match a.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(s) => Some(s.clone()),
            _ => None,
        })
}

/// The binary, killed when dropped, and the folder it keeps its data in (removed once it has
/// stopped).
struct Server(Child, Scratch);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        std::fs::remove_dir_all(&self.1.dir).ok();
    }
}

/// Starts the binary sending traces to `endpoint` every `delay_ms`; it and its port.
fn start(endpoint: &str, delay_ms: u32) -> (Server, u16) {
    let data = Scratch::folder();
    let mut child = Command::new(env!("CARGO_BIN_EXE_budget-monitor"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("BM_DATA_DIR", &data.dir)
        .env("BM_BIND", "127.0.0.1:0")
        .env("BM_ADMIN_PASSWORD", "admin-password-2026")
        .env("BM_LOG_FORMAT", "json")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
        .env("OTEL_SERVICE_NAME", "bm-trace-test")
        .env("OTEL_BSP_SCHEDULE_DELAY", delay_ms.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let server = Server(child, data);
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the binary says it serves");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        if v["message"] == "serving" {
            return (server, v["port"].as_u64().unwrap() as u16);
        }
    }
}

/// A refused sign-in with the client's `X-Request-Id`: the server's id of the request.
async fn refused_sign_in(port: u16, client_id: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/token"))
        .header("X-Request-Id", client_id)
        .header("Connection", "close")
        .json(&json!({"username": "admin", "password": "not-the-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    r.headers()["x-request-id"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn every_span_of_a_request_reaches_the_collector_with_the_request_id() {
    let collector = Collector::default();
    let (_server, port) = start(&collector.start(), 100);
    let client_id = format!("trace-{}", uuid::Uuid::new_v4());
    let id = refused_sign_in(port, &client_id).await;
    // The request's span and the spans below it (the sign-in, its throttle, its queries).
    collector.wait_for(&client_id, 1).await;
    collector.wait_for(&id, 3).await;
    let spans = collector.spans();
    let request = spans
        .iter()
        .find(|(_, s)| text(&s.attributes, "client_request_id").as_deref() == Some(&client_id))
        .map(|(_, s)| s)
        .expect("the request's span, with the client's id");
    assert_eq!(request.name, "request");
    let trace: Vec<&(String, Span)> = spans
        .iter()
        .filter(|(_, s)| s.trace_id == request.trace_id)
        .collect();
    for (service, span) in &trace {
        assert_eq!(service, "bm-trace-test");
        let on_it = text(&span.attributes, "request_id");
        assert_eq!(on_it.as_deref(), Some(id.as_str()), "span {}", span.name);
    }
    let names: Vec<&str> = trace.iter().map(|(_, s)| s.name.as_str()).collect();
    for name in ["sign_in", "charge_login"] {
        assert!(names.contains(&name), "no span {name} in {names:?}");
    }
}

#[tokio::test]
async fn the_spans_not_yet_sent_are_sent_at_exit() {
    let collector = Collector::default();
    // A batch a minute long: only the exit sends it.
    let (mut server, port) = start(&collector.start(), 60_000);
    let id = refused_sign_in(port, "trace-at-exit").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(collector.count(&id), 0, "sent before the batch was due");
    let stopped = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.0.try_wait().unwrap().is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        server.0.try_wait().unwrap().is_some(),
        "the binary did not stop"
    );
    assert!(
        collector.wait_for(&id, 1).await >= 1,
        "the last batch was not sent at exit"
    );
}
