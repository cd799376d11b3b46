//! The client address of a request, as throttling and the audit trail see it: the peer, or
//! behind a trusted reverse proxy the address its forwarding headers name
//! (see `domain::client_addr`).

use actix_web::{web, HttpRequest};

use crate::state::AppState;

/// The client's IP address, `None` when the connection has no peer address.
pub fn of(req: &HttpRequest) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Some(peer.to_canonical().to_string());
    };
    let proxies = &state.trusted_proxies;
    if proxies.is_empty() || !proxies.contains(peer) {
        return Some(peer.to_canonical().to_string());
    }
    let values = |name: &str| -> Vec<&str> {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    let forwarded = values("forwarded");
    let xff = values("x-forwarded-for");
    Some(proxies.client_addr(peer, &forwarded, &xff).to_string())
}
