//! `HEAD` on every `GET` route (RFC 9110 §9.3.2): the request is routed as a `GET` and
//! answered with its status and headers, `Content-Length` included; the HTTP layer leaves the
//! body out, as it does for every response to a `HEAD` request. The `Allow` of a 405 has always
//! named `HEAD` beside `GET`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::Error;

/// Just outside the routing: everything outside it (metrics, the request id, CORS) still sees
/// the `HEAD`.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
