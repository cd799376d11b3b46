//! Traces over OTLP (HTTP/protobuf), on when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: every
//! `tracing` span becomes an OpenTelemetry span, sent in batches by a background thread. Every
//! span of a request carries its `request_id` (the server's id, as in `X-Request-Id` and the
//! logs), so a trace is found from a log line or a problem body.

use opentelemetry::trace::{Span as _, TracerProvider as _};
use opentelemetry::{Context, KeyValue};
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::trace::{SdkTracerProvider, Span, SpanData, SpanProcessor};
use opentelemetry_sdk::Resource;
use tracing_subscriber::registry::LookupSpan;

use crate::config::OtlpSettings;

/// The running export; dropping it sends what is left and stops the exporter.
pub struct Traces(SdkTracerProvider);

impl Drop for Traces {
    fn drop(&mut self) {
        if let Err(e) = self.0.shutdown() {
            eprintln!("traces: the last spans could not be sent: {e}");
        }
    }
}

/// The layer turning `tracing` spans into exported OpenTelemetry spans, and its export.
pub fn layer<S>(o: &OtlpSettings) -> Result<(impl tracing_subscriber::Layer<S>, Traces), String>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    // The endpoint, headers and timeout come from the standard OTEL_EXPORTER_OTLP_* variables.
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .build()
        .map_err(|e| format!("OTEL_EXPORTER_OTLP_ENDPOINT: cannot export traces: {e}"))?;
    let resource = Resource::builder()
        .with_service_name(o.service_name.clone())
        .build();
    let provider = SdkTracerProvider::builder()
        .with_span_processor(RequestIdOnEverySpan)
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build();
    let tracer = provider.tracer("budget-monitor");
    let layer = tracing_opentelemetry::layer().with_tracer(tracer);
    Ok((layer, Traces(provider)))
}

/// Gives every span started while a request is served that request's `request_id`. (The
/// request's own span has it as a field; the spans below it inherit it here.)
#[derive(Debug)]
struct RequestIdOnEverySpan;

impl SpanProcessor for RequestIdOnEverySpan {
    fn on_start(&self, span: &mut Span, _cx: &Context) {
        let info = crate::http::request_id::current();
        if !info.id.is_empty() {
            span.set_attribute(KeyValue::new("request_id", info.id));
        }
    }

    fn on_end(&self, _span: SpanData) {}

    fn force_flush(&self) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }

    fn shutdown_with_timeout(
        &self,
        _timeout: std::time::Duration,
    ) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }
}
