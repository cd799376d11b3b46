//! One HTTP attempt at a delivery, under the target policy: every address the endpoint's host
//! resolves to is checked when the attempt connects, and the connection goes only to the
//! addresses checked (a name that resolved to a public address when checked cannot resolve to
//! a private one when connecting: there is one resolution). No redirect is followed, no proxy
//! is used, the attempt has a time limit and at most [`MAX_RESPONSE`] bytes of the answer are
//! read.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::config::WebhookSettings;
use crate::domain::webhooks::{TargetPolicy, CONTENT_TYPE};

/// How much of an endpoint's answer is read (the rest is dropped with the connection).
pub const MAX_RESPONSE: usize = 64 * 1024;

/// The longest error kept in the delivery log.
const MAX_ERROR: usize = 500;

/// Resolves a host and refuses it unless every address passes the policy.
struct CheckedResolver(TargetPolicy);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no address").into());
            }
            for a in &addrs {
                if let Some(why) = policy.refusal(a.ip()) {
                    return Err(format!("refused: {host} resolves to {}, {why}", a.ip()).into());
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// What an attempt got.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The endpoint's status, if it answered.
    pub status: Option<u16>,
    /// Why it failed, if it did (no answer, or an answer other than 2xx).
    pub error: Option<String>,
    pub latency_ms: i64,
}

/// The signed headers of one attempt.
pub struct Signed<'a> {
    pub id: &'a str,
    pub timestamp: i64,
    pub signature: &'a str,
}

/// Sends deliveries; one per worker, its connections reused.
pub struct Sender {
    client: reqwest::Client,
    policy: TargetPolicy,
}

impl Sender {
    pub fn new(s: &WebhookSettings) -> Result<Self, reqwest::Error> {
        let policy = TargetPolicy {
            allow_private: s.allow_private,
        };
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(CheckedResolver(policy)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .https_only(!s.allow_private)
            .connect_timeout(s.timeout.min(Duration::from_secs(5)))
            .timeout(s.timeout)
            .user_agent(concat!(
                "budget-monitor-webhooks/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()?;
        Ok(Sender { client, policy })
    }

    /// Posts `body` to `url` with the Standard Webhooks headers.
    #[tracing::instrument(skip_all, fields(id = h.id))]
    pub async fn send(&self, url: &str, h: Signed<'_>, body: Vec<u8>) -> Sent {
        let started = Instant::now();
        let result = self.post(url, &h, body).await;
        let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (status, error) = match result {
            Ok(s) if (200..300).contains(&s) => (Some(s), None),
            Ok(s) => (Some(s), Some(format!("the endpoint answered {s}"))),
            Err(e) => (None, Some(e)),
        };
        Sent {
            status,
            error: error.map(|e| e.chars().take(MAX_ERROR).collect()),
            latency_ms,
        }
    }

    async fn post(&self, url: &str, h: &Signed<'_>, body: Vec<u8>) -> Result<u16, String> {
        let parsed = Url::parse(url).map_err(|e| format!("invalid URL: {e}"))?;
        // An address in the URL is connected to without resolution: check it here.
        let literal = match parsed.host() {
            Some(Host::Ipv4(a)) => Some(IpAddr::V4(a)),
            Some(Host::Ipv6(a)) => Some(IpAddr::V6(a)),
            _ => None,
        };
        if let Some(why) = literal.and_then(|ip| self.policy.refusal(ip)) {
            return Err(format!("refused: the URL's address is {why}"));
        }
        let mut resp = self
            .client
            .post(parsed)
            .header("content-type", CONTENT_TYPE)
            .header("webhook-id", h.id)
            .header("webhook-timestamp", h.timestamp.to_string())
            .header("webhook-signature", h.signature)
            .body(body)
            .send()
            .await
            .map_err(|e| chain(&e))?;
        let status = resp.status().as_u16();
        let mut read = 0;
        while read < MAX_RESPONSE {
            match resp.chunk().await {
                Ok(Some(c)) => read += c.len(),
                Ok(None) => break,
                // The status is the answer; a body cut short does not change it.
                Err(_) => break,
            }
        }
        Ok(status)
    }
}

/// An error with its causes, `outer: inner: …`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        cause = c.source();
    }
    s
}
