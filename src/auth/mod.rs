//! Sign-in: password hashing, bearer tokens, throttling, single sign-on with an OpenID Connect
//! provider and the `CurrentUser` extractor.

pub mod client_secret;
mod current_user;
pub mod oidc;
pub mod password;
pub mod throttle;
pub mod token;

pub use current_user::{CurrentUser, RefusedToken};
