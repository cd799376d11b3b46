//! The release binary's log stream, as an operator sees it when the output is not a terminal:
//! JSON lines or plain text without colour codes, client errors not at ERROR, and no secret.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::temp_dir;

/// The server process, killed when dropped.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &std::path::Path, format: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_budget-monitor"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env_remove("BM_ADMIN_PASSWORD")
        .env_remove("BM_JWT_SECRET")
        .env_remove("RUST_LOG")
        .env("BM_DATA_DIR", dir)
        .env("BM_BIND", "127.0.0.1:0")
        .env("BM_LOG_FORMAT", format)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let out = child.stdout.take().unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(err), &mut s);
        s
    });
    Server {
        child,
        lines,
        stderr,
    }
}

impl Server {
    /// The lines written so far, waiting up to 10 s for one containing `until`.
    fn read_until(&self, seen: &mut Vec<String>, until: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !seen.iter().any(|l| l.contains(until)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => seen.push(l),
                Err(_) => panic!("no log line with {until:?} in:\n{}", seen.join("\n")),
            }
        }
    }

    fn stop(mut self, seen: &mut Vec<String>) -> String {
        std::thread::sleep(Duration::from_millis(300));
        while let Ok(l) = self.lines.try_recv() {
            seen.push(l);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let handle = std::mem::replace(&mut self.stderr, std::thread::spawn(String::new));
        handle.join().unwrap()
    }
}

fn port_of(lines: &[String]) -> u16 {
    let serving = lines.iter().find(|l| l.contains("serving")).unwrap();
    let at = serving.find("port").unwrap();
    serving[at..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Client errors of several kinds, and one success. Returns the server's request id of the
/// first refused request, sent with the client's `X-Request-Id: client-trace-7`.
async fn refused_requests(base: &str, password: &str) -> String {
    let c = reqwest::Client::new();
    let url = |path: &str| format!("{base}/api/v1/{path}");
    let sign_in = |password: &str| {
        let body = json!({"username": "admin", "password": password});
        c.post(url("auth/token")).json(&body)
    };
    let signed_in = sign_in(password).send().await.unwrap();
    let token: Value = signed_in.json().await.unwrap();
    let token = token["access_token"].as_str().expect("the admin signs in");
    let me = c.get(url("me")).header("X-Request-Id", "client-trace-7");
    let r = me.send().await.unwrap();
    assert_eq!(r.status(), 401);
    let request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let missing = c.get(url(&format!("units/{}", uuid::Uuid::new_v4())));
    let empty = json!({"code": "", "name": "", "kind": "department"});
    let invalid = c.post(url("units")).json(&empty);
    for (r, status) in [
        (missing.bearer_auth(token), 404),
        (invalid.bearer_auth(token), 422),
        (sign_in("not the password"), 401),
    ] {
        assert_eq!(r.send().await.unwrap().status(), status);
    }
    request_id
}

/// The binary started with `format`, once it serves; the lines it has written.
fn serving(dir: &std::path::Path, format: &str) -> (Server, Vec<String>) {
    let server = start(dir, format);
    let mut lines = vec![];
    server.read_until(&mut lines, "serving");
    (server, lines)
}

/// Sends the [`refused_requests`] to a serving binary and stops it: its output lines,
/// everything it wrote (stdout and stderr), and the request id of the first refused request.
async fn refuse_and_stop(
    server: Server,
    mut lines: Vec<String>,
    password: &str,
) -> (Vec<String>, String, String) {
    let base = format!("http://127.0.0.1:{}", port_of(&lines));
    let request_id = refused_requests(&base, password).await;
    let stderr = server.stop(&mut lines);
    let all = format!("{}\n{stderr}", lines.join("\n"));
    (lines, all, request_id)
}

#[tokio::test]
async fn the_log_stream_has_no_error_lines_for_client_errors_no_colours_and_no_password() {
    let dir = temp_dir();
    let (server, lines) = serving(&dir, "json");
    let file = dir.join("admin-password");
    let password = std::fs::read_to_string(&file).expect("the generated password is in a file");
    let password = password.trim().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (lines, all, request_id) = refuse_and_stop(server, lines, &password).await;
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&request_id) && l.contains("client-trace-7")),
        "the server's request id is logged beside the client's:\n{all}"
    );
    assert!(
        !all.contains(&password),
        "the password is in the log stream"
    );
    assert!(!all.contains('\x1b'), "colour codes in:\n{all}");
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not a JSON line: {l}")))
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["path"].as_str() == Some(&*file.display().to_string())),
        "the log names the password file"
    );
    let errors: Vec<&Value> = events.iter().filter(|e| e["level"] == "ERROR").collect();
    assert!(
        errors.is_empty(),
        "ERROR lines for client errors: {errors:?}"
    );
    for status in [401, 404, 422] {
        assert!(
            events.iter().any(|e| e["level"] == "INFO"
                && e["message"] == "request refused"
                && e["status"] == status),
            "an INFO line for the {status}"
        );
    }
    // Plain text output is plain too.
    let (server, lines) = serving(&dir, "text");
    let (lines, all, request_id) = refuse_and_stop(server, lines, &password).await;
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("request_id={request_id}"))
                && l.contains("client_request_id=client-trace-7")),
        "the server's request id is logged beside the client's:\n{all}"
    );
    assert!(!all.contains('\x1b'), "colour codes in:\n{all}");
    assert!(!all.contains(" ERROR "), "ERROR lines in:\n{all}");
    assert!(all.contains(" INFO ") && all.contains("request refused"));
    let _ = std::fs::remove_dir_all(&dir);
}
