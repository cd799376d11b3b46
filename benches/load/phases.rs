//! The phases of a run against one server, each adding rows to its table.

use super::*;

/// A row of a table: what is measured, and the result.
pub(crate) type Row = (String, String);

/// The server under test, signed in as finance, and the period the forms are filed in.
pub(crate) struct Ctx {
    pub(crate) c: Client,
    pub(crate) base: String,
    pub(crate) fin: String,
    pub(crate) period: String,
    pid: u32,
}

impl Ctx {
    pub(crate) async fn new(server: &Server) -> Result<Self, Error> {
        let c = Client::builder().pool_max_idle_per_host(64).build()?;
        let base = server.base.clone();
        wait_ready(&c, &base).await?;
        let fin = login(&c, &base, "finance").await?;
        let periods: Value = c
            .get(format!("{base}/api/v1/periods"))
            .bearer_auth(&fin)
            .send()
            .await?
            .json()
            .await?;
        let period = periods["items"][0]["id"]
            .as_str()
            .ok_or("no period")?
            .to_string();
        Ok(Ctx {
            c,
            base,
            fin,
            period,
            pid: server.child.id(),
        })
    }

    /// The server's CPU seconds so far.
    pub(crate) fn cpu(&self) -> Result<f64, Error> {
        cpu_seconds(self.pid)
    }
}

/// The JSON, XLSX and DOCX reports of the whole period; their medians.
pub(crate) async fn report_rows(ctx: &Ctx, out: &mut Vec<Row>) -> Result<[Duration; 3], Error> {
    let report_url = format!("{}/api/v1/periods/{}/report", ctx.base, ctx.period);
    let mut medians = [Duration::ZERO; 3];
    for (k, (name, media_type)) in [
        ("JSON", "application/json"),
        (
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (times, size) =
            time_report(&ctx.c, &report_url, &ctx.fin, media_type, REPORT_RUNS).await?;
        let what = if k == 0 {
            format!("{:.1} MB", size as f64 / 1e6)
        } else {
            format!("{:.1} MB, {} bytes", size as f64 / 1e6, grouped(size))
        };
        medians[k] = percentile(&times, 50.0);
        out.push((
            format!("{name} report ({what}), median / max of {REPORT_RUNS}"),
            format!("{} / {}", ms(medians[k]), ms(times[times.len() - 1])),
        ));
    }
    Ok(medians)
}

/// The ids of the first 200 forms of the period.
pub(crate) async fn submission_ids(ctx: &Ctx) -> Result<Vec<String>, Error> {
    let page: Value = ctx
        .c
        .get(format!(
            "{}/api/v1/submissions?period_id={}&per_page=200",
            ctx.base, ctx.period
        ))
        .bearer_auth(&ctx.fin)
        .send()
        .await?
        .json()
        .await?;
    Ok(page["items"]
        .as_array()
        .ok_or("no submissions")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect())
}

/// Reading one submission from [`CONCURRENCY`] connections; requests/s.
pub(crate) async fn read_row(ctx: &Ctx, ids: &[String], out: &mut Vec<Row>) -> Result<f64, Error> {
    let cpu = ctx.cpu()?;
    let (rps, times) = read_load(&ctx.c, &ctx.base, &ctx.fin, ids).await?;
    let cpu = ctx.cpu()? - cpu;
    out.push((
        format!(
            "read one submission, {CONCURRENCY} connections, {} s",
            READ_FOR.as_secs()
        ),
        format!(
            "{rps:.0} req/s (p50 {}, p99 {}); server CPU {:.2} ms per request",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            cpu * 1000.0 / times.len() as f64
        ),
    ));
    Ok(rps)
}

/// Tokens of [`CONCURRENCY`] clients, each one unit's reporter.
pub(crate) async fn reporter_tokens(ctx: &Ctx, units: usize) -> Result<Vec<String>, Error> {
    let mut tokens = vec![];
    for w in 0..CONCURRENCY {
        let reporter = format!("p{:03}.reporter", w % units + 1);
        tokens.push(login(&ctx.c, &ctx.base, &reporter).await?);
    }
    Ok(tokens)
}

/// A phase of filing forms: `clients` clients, `per_client` forms each, back to back or each
/// starting one `every` so often; created and submitted, or created only.
pub(crate) struct Forms {
    pub(crate) label: &'static str,
    pub(crate) clients: usize,
    pub(crate) per_client: usize,
    pub(crate) every: Option<Duration>,
    pub(crate) submit: bool,
}

/// The phases of the create + submit rows.
pub(crate) fn create_submit_phases() -> [Forms; 5] {
    let phase = |label, clients, per_client, every: Option<u64>| Forms {
        label,
        clients,
        per_client,
        every: every.map(Duration::from_millis),
        submit: true,
    };
    [
        phase("1 client, back to back", 1, 100, None),
        phase(
            "32 clients, back to back",
            CONCURRENCY,
            FORMS_PER_CLIENT,
            None,
        ),
        phase(
            "32 clients, each one every 500 ms (64/s offered)",
            CONCURRENCY,
            10,
            Some(500),
        ),
        phase(
            "32 clients, each one every 250 ms (128/s offered)",
            CONCURRENCY,
            20,
            Some(250),
        ),
        phase(
            "32 clients, each one every 125 ms (256/s offered)",
            CONCURRENCY,
            20,
            Some(125),
        ),
    ]
}

/// Items (with their indicators) for each client to file its forms on, prepared through the API.
pub(crate) async fn prepare_work(
    ctx: &Ctx,
    tokens: &[String],
    clients: usize,
    per_client: usize,
) -> Result<Vec<(String, Vec<Value>)>, Error> {
    let mut prep = vec![];
    for token in tokens.iter().take(clients) {
        let (c, base, token) = (ctx.c.clone(), ctx.base.clone(), token.clone());
        prep.push(tokio::spawn(async move {
            let mut items = vec![];
            for _ in 0..per_client {
                let n = PREPARED.fetch_add(1, Ordering::Relaxed);
                items.push(prepare_item(&c, &base, &token, n).await?);
            }
            Ok::<_, Error>(items)
        }));
    }
    let mut work = vec![];
    for (w, p) in prep.into_iter().enumerate() {
        work.push((tokens[w].clone(), p.await??));
    }
    Ok(work)
}

/// What a phase of filing forms gave: forms/s and the server's CPU milliseconds per form.
pub(crate) struct Filed {
    pub(crate) per_second: f64,
    pub(crate) cpu_ms: f64,
}

/// Runs a phase of filing forms and adds its row.
pub(crate) async fn forms_row(
    ctx: &Ctx,
    tokens: &[String],
    phase: &Forms,
    out: &mut Vec<Row>,
) -> Result<Filed, Error> {
    let work = prepare_work(ctx, tokens, phase.clients, phase.per_client).await?;
    let cpu = ctx.cpu()?;
    let started = Instant::now();
    let times = create_submit_load(
        &ctx.c,
        &ctx.base,
        &ctx.period,
        work,
        phase.every,
        phase.submit,
    )
    .await?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = ctx.cpu()? - cpu;
    let filed = Filed {
        per_second: times.len() as f64 / wall,
        cpu_ms: cpu * 1000.0 / times.len() as f64,
    };
    let what = if phase.submit {
        "create + submit"
    } else {
        "create (no submit)"
    };
    out.push((
        format!("{what} a {INDICATORS}-indicator form: {}", phase.label),
        format!(
            "p50 {}, p99 {}, max {}; {:.0} forms/s; server CPU {:.1} ms per form ({} forms)",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            ms(times[times.len() - 1]),
            filed.per_second,
            filed.cpu_ms,
            times.len()
        ),
    ));
    Ok(filed)
}

/// The change feed, as filled by the writes before (the generator writes no events).
pub(crate) async fn feed_row(ctx: &Ctx, out: &mut Vec<Row>) -> Result<(), Error> {
    let token = viewer_client_token(&ctx.c, &ctx.base).await?;
    let cpu = ctx.cpu()?;
    let feed = read_feed(&ctx.c, &ctx.base, &token, FEED_PASSES).await?;
    let cpu = ctx.cpu()? - cpu;
    let thousands_read = (feed.events * (FEED_PASSES + 1)) as f64 / 1000.0;
    out.push((
        format!(
            "read the change feed: a viewer API client pages through all {} events ({:.1} MB), {FEED_PAGE} a page, {FEED_PASSES} times",
            grouped(feed.events),
            feed.bytes as f64 / 1e6
        ),
        format!(
            "{:.0} events/s; one page p50 {}, p99 {} ({} pages); server CPU {:.1} ms per {FEED_PAGE} events",
            feed.per_second,
            ms(percentile(&feed.pages, 50.0)),
            ms(percentile(&feed.pages, 99.0)),
            feed.pages.len(),
            cpu * 1000.0 / thousands_read
        ),
    ));
    Ok(())
}
