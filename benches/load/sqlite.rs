//! The same reads and writes on the embedded default: SQLite, one fresh file per size.

use std::path::{Path, PathBuf};

use super::*;

/// How long `seed-province` may take on SQLite (`BENCH_SQLITE_SEED_SECS`, default 600) before
/// the SQLite run falls back to [`FALLBACK_UNITS`].
fn seed_limit() -> Duration {
    let secs = std::env::var("BENCH_SQLITE_SEED_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    Duration::from_secs(secs)
}

const FALLBACK_UNITS: usize = 20;

/// A temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(units: usize) -> Result<Self, Error> {
        let dir =
            std::env::temp_dir().join(format!("bm_bench_sqlite_{units}_{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// The SQLite table of a size: the units it was measured at, and its rows.
pub(crate) async fn run(units: usize) -> Result<(usize, Vec<Row>), Error> {
    let limit = seed_limit();
    let dir = TempDir::new(units)?;
    if let Some(rows) = on_sqlite(&dir.0, units, limit).await? {
        return Ok((units, rows));
    }
    drop(dir);
    let why = format!(
        "did not finish within {} s at {units} units",
        limit.as_secs()
    );
    eprintln!("SQLite: seed-province {why}");
    let row = (
        format!("generate (migrate + seed-province) at {units} units"),
        format!("{why}: not measured"),
    );
    if units <= FALLBACK_UNITS {
        return Ok((units, vec![row]));
    }
    let dir = TempDir::new(FALLBACK_UNITS)?;
    let mut rows = on_sqlite(&dir.0, FALLBACK_UNITS, limit)
        .await?
        .ok_or("SQLite: seed-province too slow even at the fallback size")?;
    rows.insert(
        0,
        (
            row.0,
            format!("{why}: measured at {FALLBACK_UNITS} units instead"),
        ),
    );
    Ok((FALLBACK_UNITS, rows))
}

/// Seeds a SQLite file in `dir` and measures the server on it; `None` if seeding took too long.
async fn on_sqlite(dir: &Path, units: usize, limit: Duration) -> Result<Option<Vec<Row>>, Error> {
    let db_url = format!("sqlite://{}/bm.db?mode=rwc", dir.display());
    let data_dir = dir.display().to_string();
    let env = [("BM_DATA_DIR", data_dir.as_str())];
    let Some(took) = seed(&db_url, units, &env, Some(limit))? else {
        return Ok(None);
    };
    let mut out = vec![(
        "generate (migrate + seed-province)".to_string(),
        format!("{:.1} s", took.as_secs_f64()),
    )];
    let server = Server::start_with(&db_url, &env)?;
    let ctx = Ctx::new(&server).await?;
    let ids = submission_ids(&ctx).await?;
    read_row(&ctx, &ids, &mut out).await?;
    let tokens = reporter_tokens(&ctx, units).await?;
    for phase in create_submit_phases().iter().take(2) {
        forms_row(&ctx, &tokens, phase, &mut out).await?;
    }
    let (peak, now) = server.memory()?;
    out.push((
        "server memory: peak (VmHWM) / at the end (VmRSS)".into(),
        format!("{peak:.1} MiB / {now:.1} MiB"),
    ));
    let size = std::fs::metadata(dir.join("bm.db"))?.len();
    out.push((
        "database file (without its WAL)".into(),
        format!("{:.1} MB", size as f64 / 1e6),
    ));
    Ok(Some(out))
}
