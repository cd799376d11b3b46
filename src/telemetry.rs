//! Logging through `tracing`: text by default, JSON lines with `BM_LOG_FORMAT=json`; the level
//! comes from `RUST_LOG` (default `info`). Colours only when the output is a terminal. A client
//! error (4xx) is an INFO line; only server faults are ERROR lines. The same spans go to an
//! OpenTelemetry collector when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (see [`crate::otlp`]).

use std::io::IsTerminal;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::OtlpSettings;

/// The variable holding the log filter.
pub const LOG_FILTER_VAR: &str = "RUST_LOG";

/// Keeps the trace export running; dropping it flushes the spans not yet sent.
pub struct Telemetry {
    _traces: Option<crate::otlp::Traces>,
}

pub fn init(json: bool, otlp: Option<&OtlpSettings>) -> Result<Telemetry, String> {
    let filter = EnvFilter::try_from_env(LOG_FILTER_VAR)
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let fmt = tracing_subscriber::fmt::layer().with_ansi(!json && std::io::stdout().is_terminal());
    let fmt = if json {
        fmt.json()
            .flatten_event(true)
            .with_current_span(true)
            .boxed()
    } else {
        fmt.boxed()
    };
    let (otel, traces) = match otlp {
        Some(o) => {
            let (layer, traces) = crate::otlp::layer(o)?;
            (Some(layer), Some(traces))
        }
        None => (None, None),
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(otel)
        .try_init();
    if let Some(o) = otlp {
        tracing::info!(endpoint = %o.endpoint, service = %o.service_name, "exporting traces over OTLP");
    }
    Ok(Telemetry { _traces: traces })
}
