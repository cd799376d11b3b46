//! The measurements: the report, reads, and creating and submitting forms.

use super::*;

/// Times `runs` requests one after another (after one warm-up); returns the sorted latencies and
/// the body size.
pub(crate) async fn time_report(
    c: &Client,
    url: &str,
    token: &str,
    accept: &str,
    runs: usize,
) -> Result<(Vec<Duration>, usize), Error> {
    let mut times = vec![];
    let mut size = 0;
    for n in 0..=runs {
        let started = Instant::now();
        let res = c
            .get(url)
            .bearer_auth(token)
            .header(header::ACCEPT, accept)
            .send()
            .await?;
        let body = expect(res, StatusCode::OK).await?.bytes().await?;
        if n > 0 {
            times.push(started.elapsed());
        }
        size = body.len();
    }
    times.sort();
    Ok((times, size))
}

/// Reads submissions for [`READ_FOR`] from [`CONCURRENCY`] clients; requests/s and latencies.
pub(crate) async fn read_load(
    c: &Client,
    base: &str,
    token: &str,
    ids: &[String],
) -> Result<(f64, Vec<Duration>), Error> {
    let ids = Arc::new(ids.to_vec());
    let started = Instant::now();
    let deadline = started + READ_FOR;
    let mut tasks = vec![];
    for w in 0..CONCURRENCY {
        let (c, base, token, ids) = (c.clone(), base.to_string(), token.to_string(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            let mut n = w;
            while Instant::now() < deadline {
                let id = &ids[n % ids.len()];
                n += CONCURRENCY;
                let t = Instant::now();
                let res = c
                    .get(format!("{base}/api/v1/submissions/{id}"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                expect(res, StatusCode::OK).await?.bytes().await?;
                times.push(t.elapsed());
            }
            Ok::<_, Error>(times)
        }));
    }
    let all = latencies(tasks).await?;
    Ok((all.len() as f64 / started.elapsed().as_secs_f64(), all))
}

/// The item (with its 20 indicators) a client files a form on, created through the API.
pub(crate) async fn prepare_item(
    c: &Client,
    base: &str,
    token: &str,
    n: usize,
) -> Result<Value, Error> {
    let res = c
        .post(format!("{base}/api/v1/items"))
        .bearer_auth(token)
        .json(&json!({
            "year": 2026, "kind": "project", "name": format!("压测项目{n:05}"),
            "budget": {"fiscal": "120.5", "union": "80.25"},
            "annual_goal": "按计划完成年度目标", "start_year": 2026, "end_year": 2026
        }))
        .send()
        .await?;
    let item: Value = expect(res, StatusCode::CREATED).await?.json().await?;
    let item_id = item["id"].as_str().ok_or("no item id")?.to_string();
    let mut ids = vec![];
    for j in 0..INDICATORS {
        let res = c
            .post(format!("{base}/api/v1/items/{item_id}/indicators"))
            .bearer_auth(token)
            .json(&json!({
                "level1": "output", "level2": "quantity", "name": format!("服务人次{j}"),
                "measure_unit": "人次", "direction": "higher_better", "target": "1000",
                "prorate": true
            }))
            .send()
            .await?;
        let ind: Value = expect(res, StatusCode::CREATED).await?.json().await?;
        ids.push(ind["id"].clone());
    }
    Ok(json!({"item_id": item_id, "indicators": ids}))
}

/// The body of a 20-indicator form on a prepared item (see [`prepare_item`]).
pub(crate) fn form_body(period: &str, item: &Value) -> Result<Value, Error> {
    let values: Vec<Value> = item["indicators"]
        .as_array()
        .ok_or("no indicators")?
        .iter()
        .map(|id| json!({"indicator_id": id, "actual": "520", "possibility": "certain"}))
        .collect();
    Ok(json!({
        "period_id": period, "item_id": item["item_id"],
        "executed": {"fiscal": "60.25", "union": "40.125"},
        "expected_year_end": {"fiscal": "120.5", "union": "80.25"},
        "goal_progress": "上半年按计划推进", "indicator_values": values,
        "outlook": "certain",
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}
    }))
}

/// Creates a form (a draft) on a prepared item; its id.
pub(crate) async fn create_form(
    c: &Client,
    base: &str,
    token: &str,
    body: &Value,
) -> Result<String, Error> {
    let res = c
        .post(format!("{base}/api/v1/submissions"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?;
    let form: Value = expect(res, StatusCode::CREATED).await?.json().await?;
    Ok(form["id"].as_str().ok_or("no form id")?.to_string())
}

/// Creates and (when `submit`) submits one form on each prepared item, each client working
/// through its own list. Back to back when `every` is `None`; otherwise client `w` starts its
/// `k`-th form at `start + k × every` (staggered across clients), and the latency counts from
/// that scheduled start, so a slow server cannot hide its queue by delaying the next request.
pub(crate) async fn create_submit_load(
    c: &Client,
    base: &str,
    period: &str,
    work: Vec<(String, Vec<Value>)>,
    every: Option<Duration>,
    submit: bool,
) -> Result<Vec<Duration>, Error> {
    let clients = work.len() as u32;
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut tasks = vec![];
    for (w, (token, items)) in work.into_iter().enumerate() {
        let (c, base, period) = (c.clone(), base.to_string(), period.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            for (k, it) in items.into_iter().enumerate() {
                let body = form_body(&period, &it)?;
                let t = match every {
                    Some(every) => {
                        let at = start + every * k as u32 + every * w as u32 / clients;
                        tokio::time::sleep_until(at).await;
                        at.into_std()
                    }
                    None => Instant::now(),
                };
                let id = create_form(&c, &base, &token, &body).await?;
                if submit {
                    let res = c
                        .post(format!("{base}/api/v1/submissions/{id}/submit"))
                        .bearer_auth(&token)
                        .send()
                        .await?;
                    expect(res, StatusCode::OK).await?.bytes().await?;
                }
                times.push(t.elapsed());
            }
            Ok::<_, Error>(times)
        }));
    }
    latencies(tasks).await
}

/// Every client's latencies, sorted.
pub(crate) async fn latencies(
    tasks: Vec<tokio::task::JoinHandle<Result<Vec<Duration>, Error>>>,
) -> Result<Vec<Duration>, Error> {
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort();
    Ok(all)
}

/// What paging through the whole change feed gave.
pub(crate) struct FeedRead {
    /// Events and bytes in the feed (one pass).
    pub(crate) events: usize,
    pub(crate) bytes: usize,
    /// Events read per second over all the timed passes (one client, page after page).
    pub(crate) per_second: f64,
    /// The latency of each full page ([`FEED_PAGE`] events), sorted.
    pub(crate) pages: Vec<Duration>,
}

/// Reads the change feed from its start to its end, [`FEED_PAGE`] events a page, one request
/// after another as a follower does (each page's `next_cursor` is the next `after`), `passes`
/// times after one warm-up pass.
pub(crate) async fn read_feed(
    c: &Client,
    base: &str,
    token: &str,
    passes: usize,
) -> Result<FeedRead, Error> {
    let mut read = FeedRead {
        events: 0,
        bytes: 0,
        per_second: 0.0,
        pages: vec![],
    };
    let mut started = Instant::now();
    for pass in 0..=passes {
        if pass == 1 {
            started = Instant::now();
            read.pages.clear();
        }
        let (mut after, mut events, mut bytes) = (None::<String>, 0, 0);
        loop {
            let mut url = format!("{base}/api/v1/events?limit={FEED_PAGE}");
            if let Some(cursor) = &after {
                url.push_str(&format!("&after={cursor}"));
            }
            let t = Instant::now();
            let res = c.get(url).bearer_auth(token).send().await?;
            let body = expect(res, StatusCode::OK).await?.bytes().await?;
            let took = t.elapsed();
            let page: Value = serde_json::from_slice(&body)?;
            let n = page["events"].as_array().ok_or("no events")?.len();
            (events, bytes) = (events + n, bytes + body.len());
            after = Some(page["next_cursor"].as_str().ok_or("no cursor")?.into());
            if n < FEED_PAGE {
                break;
            }
            read.pages.push(took);
        }
        (read.events, read.bytes) = (events, bytes);
    }
    read.per_second = (read.events * passes) as f64 / started.elapsed().as_secs_f64();
    read.pages.sort();
    Ok(read)
}
