//! The benchmark's plumbing: the server process, databases, sign-in, percentiles and CPU time.

use super::*;

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
}

impl Server {
    pub(crate) fn start(db_url: &str) -> Result<Self, Error> {
        Self::start_with(db_url, &[])
    }

    /// With more environment variables.
    pub(crate) fn start_with(db_url: &str, env: &[(&str, &str)]) -> Result<Self, Error> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(BIN)
            .arg("serve")
            .envs(env.iter().copied())
            .env("DATABASE_URL", db_url)
            .env("BM_BIND", format!("127.0.0.1:{port}"))
            .env(
                "BM_JWT_SECRET",
                "bench-secret-bench-secret-bench-secret-0123",
            )
            .env("BM_ADMIN_PASSWORD", PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// Peak and current resident memory, in MiB.
    pub(crate) fn memory(&self) -> Result<(f64, f64), Error> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        Ok((kib("VmHWM:") / 1024.0, kib("VmRSS:") / 1024.0))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A count with thousands separators: 1,734,567.
pub(crate) fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(crate) fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub(crate) async fn fresh_database(base: &str, name: &str) -> Result<String, Error> {
    let admin = sea_orm::Database::connect(base).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    // Same server and options (`?sslmode=…`), another database.
    let (url, options) = base.split_once('?').unwrap_or((base, ""));
    let (prefix, _) = url
        .rsplit_once('/')
        .ok_or("BENCH_DATABASE_URL needs a database name")?;
    let options = if options.is_empty() {
        String::new()
    } else {
        format!("?{options}")
    };
    Ok(format!("{prefix}/{name}{options}"))
}

pub(crate) async fn drop_database(base: &str, name: &str) -> Result<(), Error> {
    let admin = sea_orm::Database::connect(base).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

pub(crate) async fn expect(
    res: reqwest::Response,
    want: StatusCode,
) -> Result<reqwest::Response, Error> {
    if res.status() != want {
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        return Err(format!("expected {want}, got {status}: {body}").into());
    }
    Ok(res)
}

pub(crate) async fn login(c: &Client, base: &str, username: &str) -> Result<String, Error> {
    let res = c
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await?;
    let body: Value = expect(res, StatusCode::OK).await?.json().await?;
    Ok(body["access_token"]
        .as_str()
        .ok_or("no access_token")?
        .to_string())
}

pub(crate) async fn wait_ready(c: &Client, base: &str) -> Result<(), Error> {
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if let Ok(r) = c.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the server did not become ready".into())
}

/// CPU seconds (user + system) the process has used so far.
pub(crate) fn cpu_seconds(pid: u32) -> Result<f64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')').ok_or("bad /proc stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>()? + f[12].parse::<f64>()?;
    Ok(ticks / 100.0)
}

/// A token of a new viewer API client (created by the admin), got with OAuth 2.0 client
/// credentials in HTTP Basic, as the provincial platform reads.
pub(crate) async fn viewer_client_token(c: &Client, base: &str) -> Result<String, Error> {
    let admin = login(c, base, "admin").await?;
    let res = c
        .post(format!("{base}/api/v1/clients"))
        .bearer_auth(&admin)
        .json(&json!({"name": "bench-feed-reader", "role": "viewer"}))
        .send()
        .await?;
    let client: Value = expect(res, StatusCode::CREATED).await?.json().await?;
    let (id, secret) = (&client["client_id"], &client["client_secret"]);
    let res = c
        .post(format!("{base}/api/v1/auth/token"))
        .basic_auth(
            id.as_str().ok_or("no client_id")?,
            secret.as_str().map(str::to_string),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await?;
    let body: Value = expect(res, StatusCode::OK).await?.json().await?;
    Ok(body["access_token"]
        .as_str()
        .ok_or("no access_token")?
        .to_string())
}
