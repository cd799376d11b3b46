//! Builds the application: database, migrations, the first admin, and the actix server.
//! `main` and the tests both go through [`Application::build`].

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{from_fn, Condition};
use actix_web::{web, App, HttpResponse, HttpServer};
use migration::MigratorTrait;
use sea_orm::DatabaseConnection;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::{oidc::OidcVerifier, password, token::TokenKeys};
use crate::config::Settings;
use crate::delivery::Worker;
use crate::domain::account::Role;
use crate::domain::webhooks::TargetPolicy;
use crate::http::{self, extract, fallback::RouteTable, strict_query::QueryRules};
use crate::persistence::{self, db::Db, users};
use crate::state::AppState;

pub type StartupError = Box<dyn std::error::Error + Send + Sync>;

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    worker: Worker,
    /// The metrics' own listener (`BM_METRICS_BIND`) and its port.
    metrics: Option<(Server, u16)>,
}

/// Connects and brings the schema up to date.
pub async fn connect_and_migrate(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    if settings.is_sqlite() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let db = persistence::connect(&settings.database_url).await?;
    migration::Migrator::up(&db, None).await?;
    let filled = persistence::submissions::backfill_report_columns(&db).await?;
    if filled > 0 {
        tracing::info!(forms = filled, "filled the report columns of older forms");
    }
    Ok(db)
}

/// Creates the `admin` user on an empty database. Returns the generated password, if one was.
pub async fn ensure_admin(
    db: &DatabaseConnection,
    settings: &Settings,
) -> Result<Option<String>, StartupError> {
    if users::count(db).await? > 0 {
        return Ok(None);
    }
    let (pw, generated) = match &settings.admin_password {
        Some(p) => (p.clone(), false),
        None => (password::generate(), true),
    };
    let hash = password::hash(&pw)?;
    users::insert(
        db,
        users::NewUser {
            username: "admin".into(),
            password_hash: hash,
            role: Role::Admin,
            unit_id: None,
        },
    )
    .await?;
    Ok(generated.then_some(pw))
}

/// Makes a generated admin password known without writing it into the log stream: on an
/// interactive terminal it is shown on stderr; otherwise it is written to `admin-password` in
/// the data folder, readable by this user only, and the log says where.
pub fn announce_admin_password(settings: &Settings, pw: &str) -> Result<(), StartupError> {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprintln!("Created user `admin` with password: {pw}  (shown once; set BM_ADMIN_PASSWORD to choose it)");
        return Ok(());
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let path = settings.data_dir.join(ADMIN_PASSWORD_FILE);
    crate::config::write_private(&path, &format!("{pw}\n"))?;
    tracing::warn!(
        path = %path.display(),
        "created user `admin` with a generated password, written to this file (readable by this user only); set BM_ADMIN_PASSWORD to choose it"
    );
    Ok(())
}

/// Where a generated admin password goes when there is no terminal to show it on.
pub const ADMIN_PASSWORD_FILE: &str = "admin-password";

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = connect_and_migrate(&settings).await?;
        if let Some(pw) = ensure_admin(&db, &settings).await? {
            announce_admin_password(&settings, &pw)?;
        }
        let db = Db::new(&settings.database_url, db).await?;
        let days = settings.event_retention_days;
        crate::app::events::forget_expired(&db, days, persistence::now()).await?;
        crate::app::events::keep_forgetting(db.clone(), days);
        let secret = settings.load_jwt_secret()?;
        let oidc = settings.oidc.as_ref().map(OidcVerifier::new).transpose()?;
        if let Some(o) = &settings.oidc {
            tracing::info!(issuer = %o.issuer, audience = %o.audience, "single sign-on: accepting tokens of this OpenID Connect provider");
        }
        let listener = TcpListener::bind(&settings.bind)?;
        let port = listener.local_addr()?.port();
        // The recorder is in place before the first request is counted.
        crate::metrics::handle();
        let access = http::metrics::MetricsAccess::on_main_port(&settings.telemetry);
        let state = web::Data::new(AppState {
            db,
            tokens: TokenKeys::new(&secret, settings.token_ttl_secs),
            client_token_secs: settings.client_token_ttl_secs,
            oidc,
            offset: settings.utc_offset,
            trusted_proxies: settings.trusted_proxies.clone(),
            webhook_targets: TargetPolicy {
                allow_private: settings.webhooks.allow_private,
            },
        });
        let worker = Worker::start(state.db.clone(), settings.webhooks.clone())?;
        let metrics = http::metrics::own_listener(&settings.telemetry, state.clone())?;
        let server = run(listener, state, settings.cors_origins.clone(), access)?;
        Ok(Application {
            port,
            server,
            worker,
            metrics,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (`stop(true)`: after the requests under way); the webhook worker
    /// stops after it.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// The port of the metrics' own listener, when `BM_METRICS_BIND` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, p)| *p)
    }

    /// Serves until the server stops (a signal, or [`Self::handle`]), then stops the metrics'
    /// own listener and the webhook worker, letting the deliveries under way finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics.map(|(m, _)| (m.handle(), tokio::spawn(m)));
        let served = self.server.await;
        if let Some((stop, task)) = metrics {
            stop.stop(true).await;
            let _ = task.await;
        }
        self.worker.stop().await;
        served
    }
}

/// Cross-origin access for the configured origins: preflights answered for every route, the
/// request headers the API reads allowed, the response headers scripts need exposed. Any other
/// origin gets no CORS header (a browser then refuses its page the answer).
fn cors(origins: &[String]) -> Cors {
    use actix_web::http::header;
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::CONTENT_DISPOSITION,
            header::HeaderName::from_static("x-request-id"),
            header::HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(3600)
        // Same-origin pages (the docs) send an Origin too: they are served, just without
        // CORS headers, rather than refused.
        .block_on_origin_mismatch(false);
    for o in origins {
        cors = cors.allowed_origin(o);
    }
    cors
}

/// A handler answering `body` as JSON.
fn serve_bytes(
    body: web::Bytes,
) -> impl Fn() -> std::future::Ready<HttpResponse> + Clone + 'static {
    move || {
        std::future::ready(
            HttpResponse::Ok()
                .content_type(actix_web::http::header::ContentType::json())
                .body(body.clone()),
        )
    }
}

/// actix-cors lists the exposed headers on every answer; keep them only where an origin was
/// allowed, so that other origins get no CORS header at all. A preflight it refuses is answered
/// as a problem.
async fn cors_headers_only_when_allowed(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::http::header;
    use actix_web::ResponseError;
    let res = next.call(req).await?;
    // A refused preflight (an origin, method or request header not allowed) is a problem like
    // any other refused request: 400 `invalid_header`, not actix-cors's plain text.
    let refused = res.response().error().and_then(|e| {
        let refused = e.as_error::<actix_cors::CorsError>()?;
        Some(crate::error::ApiError::new(
            crate::error::ErrorCode::InvalidHeader,
            format!("the preflight is refused: {refused}"),
        ))
    });
    let mut res = match refused {
        Some(problem) => res
            .into_response(problem.error_response())
            .map_into_right_body(),
        None => res.map_into_left_body(),
    };
    let headers = res.headers_mut();
    if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        headers.remove(header::ACCESS_CONTROL_EXPOSE_HEADERS);
    }
    Ok(res)
}

fn run(
    listener: TcpListener,
    state: web::Data<AppState>,
    cors_origins: Vec<String>,
    metrics: http::metrics::MetricsAccess,
) -> Result<Server, StartupError> {
    let metrics = web::Data::new(metrics);
    let routes = web::Data::new(RouteTable::from_openapi(&http::openapi()));
    let document = http::document();
    let query_rules = web::Data::new(QueryRules::from_document(&document));
    // Serialised once and shared by the workers (a tree of the document would be copied to
    // each).
    let document = web::Bytes::from(serde_json::to_vec(&document).expect("the spec serializes"));
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .app_data(state.clone())
            .app_data(routes.clone())
            .app_data(query_rules.clone())
            .app_data(metrics.clone())
            .app_data(web::PayloadConfig::new(extract::BODY_LIMIT))
            .app_data(web::PathConfig::default().error_handler(extract::path_error))
            .app_data(web::QueryConfig::default().error_handler(extract::query_error))
            .service(scope("/api/v1").configure(http::configure))
            .configure(http::health::configure)
            .configure(http::metrics::configure)
            .split_for_parts();
        // Inside CORS and the request id: a refused query string is answered with both.
        let app = app
            .wrap(from_fn(http::head::middleware))
            .wrap(from_fn(http::strict_query::middleware))
            .wrap(from_fn(http::denied::middleware))
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cors(&cors_origins),
            ))
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                from_fn(cors_headers_only_when_allowed),
            ))
            .wrap(from_fn(http::request_id::middleware))
            .wrap(from_fn(http::metrics::middleware))
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    // No request to validator.swagger.io: the page works offline.
                    .config(Config::new(["/openapi.json"]).validator_url("none")),
            )
            .route(
                "/openapi.json",
                web::get().to(serve_bytes(document.clone())),
            )
            .route(
                "/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/docs/"))
                        .finish()
                }),
            )
            .default_service(web::to(http::fallback::not_found_or_not_allowed));
        // Collecting the routes' OpenAPI paths above left megabytes free in this worker's
        // memory arena.
        crate::memory::give_back_free_memory();
        app
    })
    .listen(listener)?
    .run();
    Ok(server)
}
