//! Single sign-on with an OpenID Connect provider: a stand-in provider in the test process
//! ([`idp`]) serves its discovery document and key set; the app is started with `BM_OIDC_*`
//! pointing at it. Accepted tokens, refused tokens, and the key set's fetching and rotation.

mod accepted;
mod idp;
mod keys;
mod refused;
