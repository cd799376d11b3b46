//! Logging through `tracing`: text by default, JSON lines with `BM_LOG_FORMAT=json`; the level
//! comes from `RUST_LOG` (default `info`). Colours only when the output is a terminal. A client
//! error (4xx) is an INFO line; only server faults are ERROR lines.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The variable holding the log filter.
pub const LOG_FILTER_VAR: &str = "RUST_LOG";

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env(LOG_FILTER_VAR)
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(!json && std::io::stdout().is_terminal());
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.try_init()
    };
}
