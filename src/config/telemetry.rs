//! The settings of metrics and traces.

/// Where `/metrics` is served and who may read it, and whether traces are exported.
#[derive(Debug, Clone, Default)]
pub struct TelemetrySettings {
    /// `BM_METRICS_BIND`: serve `/metrics` on a listener of its own at this address (e.g. an
    /// internal interface) and not on the main port. Unset (the default): on the main port.
    pub metrics_bind: Option<String>,
    /// `BM_METRICS_TOKEN`: when set, `/metrics` answers only requests with
    /// `Authorization: Bearer <this token>` (at least 16 characters).
    pub metrics_token: Option<String>,
    /// Traces over OTLP, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
    pub otlp: Option<OtlpSettings>,
}

/// Trace export over OTLP (HTTP/protobuf). The exporter itself reads the standard
/// `OTEL_EXPORTER_OTLP_*` variables (headers, timeout, a traces-only endpoint) and the batch
/// processor the `OTEL_BSP_*` ones.
#[derive(Debug, Clone)]
pub struct OtlpSettings {
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL (`http://collector:4318`); spans
    /// go to `<it>/v1/traces`.
    pub endpoint: String,
    /// `OTEL_SERVICE_NAME`, default `budget-monitor`.
    pub service_name: String,
}

/// The shortest metrics token accepted.
const MIN_TOKEN: usize = 16;

/// Reads the settings through `var`.
pub fn telemetry_settings(
    var: impl Fn(&str) -> Option<String>,
) -> Result<TelemetrySettings, String> {
    let metrics_bind = var("BM_METRICS_BIND");
    if let Some(b) = &metrics_bind {
        b.parse::<std::net::SocketAddr>().map_err(|_| {
            format!("BM_METRICS_BIND: `{b}` is not an address and port like 10.0.0.5:9464")
        })?;
    }
    let metrics_token = var("BM_METRICS_TOKEN");
    if metrics_token.as_ref().is_some_and(|t| t.len() < MIN_TOKEN) {
        return Err(format!(
            "BM_METRICS_TOKEN must be at least {MIN_TOKEN} characters"
        ));
    }
    let otlp = match var("OTEL_EXPORTER_OTLP_ENDPOINT") {
        None => None,
        Some(endpoint) if endpoint.starts_with("http://") || endpoint.starts_with("https://") => {
            Some(OtlpSettings {
                endpoint,
                service_name: var("OTEL_SERVICE_NAME").unwrap_or_else(|| "budget-monitor".into()),
            })
        }
        Some(e) => {
            return Err(format!(
                "OTEL_EXPORTER_OTLP_ENDPOINT: `{e}` is not an http:// or https:// URL (traces are sent over OTLP/HTTP)"
            ))
        }
    };
    Ok(TelemetrySettings {
        metrics_bind,
        metrics_token,
        otlp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<TelemetrySettings, String> {
        let vars: std::collections::HashMap<&str, &str> = vars.iter().copied().collect();
        telemetry_settings(|k| vars.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn metrics_and_traces_are_checked_at_start_up() {
        let off = from(&[]).unwrap();
        assert!(off.metrics_bind.is_none() && off.metrics_token.is_none() && off.otlp.is_none());
        for (vars, wanted) in [
            (vec![("BM_METRICS_BIND", "localhost")], "BM_METRICS_BIND"),
            (vec![("BM_METRICS_TOKEN", "short")], "BM_METRICS_TOKEN"),
            (
                vec![("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317")],
                "OTEL_EXPORTER_OTLP_ENDPOINT",
            ),
        ] {
            let err = from(&vars).unwrap_err();
            assert!(err.contains(wanted), "{err}");
        }
        let on = from(&[
            ("BM_METRICS_BIND", "10.0.0.5:9464"),
            ("BM_METRICS_TOKEN", "0123456789abcdef"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
        ])
        .unwrap();
        assert_eq!(on.metrics_bind.as_deref(), Some("10.0.0.5:9464"));
        let otlp = on.otlp.unwrap();
        assert_eq!(otlp.service_name, "budget-monitor");
        let named = from(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector.internal"),
            ("OTEL_SERVICE_NAME", "bm-province"),
        ])
        .unwrap();
        assert_eq!(named.otlp.unwrap().service_name, "bm-province");
    }
}
