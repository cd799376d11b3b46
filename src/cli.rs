//! The command line: `serve` (default), `migrate`, `openapi`, `user add`, `audit verify`,
//! `seed-demo`, `seed-province`.

use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::auth::password;
use crate::config::Settings;
use crate::domain::account::{self, Role};
use crate::domain::Violations;
use crate::persistence::{units, users};
use crate::seed;
use crate::startup::{self, Application, StartupError};

#[derive(Debug, Parser)]
#[command(
    name = "budget-monitor",
    version,
    about = "Budget performance monitoring API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the API (the default).
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Fill an empty database with a realistic 2026 H1 monitoring cycle for frontend teams;
    /// every demo login's password is BM_DEMO_PASSWORD or `demo-password-2026`.
    SeedDemo,
    /// Fill an empty database with a province-sized 2026 H1 period for load tests: by default
    /// 200 units × 75 forms × 20 indicators in every status, plus one missing form per unit.
    /// Logins: finance, viewer, p001.reporter …; password BM_DEMO_PASSWORD or `demo-password-2026`.
    SeedProvince {
        /// Units (200 is the province scale; 20 is a tenth of it).
        #[arg(long, default_value_t = 200)]
        units: usize,
        /// Items with a form per unit.
        #[arg(long, default_value_t = 75)]
        items: usize,
        /// Indicators per item.
        #[arg(long, default_value_t = 20)]
        indicators: usize,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the audit trail's hash chain; exit status 0 when it is intact, 1 with a message
    /// naming the first event that does not fit otherwise.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from BM_NEW_PASSWORD or generated and printed.
    Add {
        #[arg(long)]
        username: String,
        /// admin, finance, reporter or viewer
        #[arg(long)]
        role: String,
        /// The unit's code or id (required for a reporter).
        #[arg(long)]
        unit: Option<String>,
    },
}

/// Runs the command (`serve` when none is given).
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", crate::http::openapi_json());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    let _telemetry = crate::telemetry::init(settings.log_json, settings.telemetry.otlp.as_ref())?;
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            startup::connect_and_migrate(&settings).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::SeedDemo => seed_demo(&settings).await,
        Command::SeedProvince {
            units,
            items,
            indicators,
        } => seed_province(&settings, units, items, indicators).await,
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    unit,
                },
        } => add_user(&settings, &username, &role, unit.as_deref()).await,
        Command::Audit {
            command: AuditCommand::Verify,
        } => verify_audit(&settings).await,
        Command::Openapi => unreachable!(),
    }
}

async fn serve(settings: Settings) -> Result<(), StartupError> {
    let app = Application::build(settings.clone()).await?;
    tracing::info!(bind = %settings.bind, port = app.port(), "serving");
    app.run_until_stopped().await?;
    Ok(())
}

/// The migrated database, with the `admin` user: without it now, `serve` would never create
/// it, since the database will have users.
async fn seed_database(settings: &Settings) -> Result<DatabaseConnection, StartupError> {
    let db = startup::connect_and_migrate(settings).await?;
    if let Some(pw) = startup::ensure_admin(&db, settings).await? {
        startup::announce_admin_password(settings, &pw)?;
    }
    Ok(db)
}

/// Every demo login's password: BM_DEMO_PASSWORD, or the documented default.
fn demo_password() -> String {
    std::env::var("BM_DEMO_PASSWORD").unwrap_or_else(|_| seed::DEMO_PASSWORD.into())
}

async fn seed_demo(settings: &Settings) -> Result<(), StartupError> {
    let db = seed_database(settings).await?;
    let opts = seed::DemoOptions {
        password: demo_password(),
        offset: settings.utc_offset,
    };
    let summary = seed::seed_demo(&db, &opts).await?;
    print!("{}", summary.render());
    Ok(())
}

async fn seed_province(
    settings: &Settings,
    units: usize,
    items: usize,
    indicators: usize,
) -> Result<(), StartupError> {
    let db = seed_database(settings).await?;
    let opts = seed::province::ProvinceOptions {
        units,
        items_per_unit: items,
        indicators_per_item: indicators,
        password: demo_password(),
        offset: settings.utc_offset,
    };
    let summary = seed::province::seed_province(&db, &opts).await?;
    print!("{}", summary.render());
    Ok(())
}

/// `user add`: checks the account, then creates it with the given or a generated password.
async fn add_user(
    settings: &Settings,
    username: &str,
    role: &str,
    unit: Option<&str>,
) -> Result<(), StartupError> {
    let db = startup::connect_and_migrate(settings).await?;
    let (username, role, unit_id) = check_new_user(&db, username, role, unit).await?;
    let (pw, generated) = new_password()?;
    let user = users::insert(
        &db,
        users::NewUser {
            username,
            password_hash: password::hash(&pw)?,
            role,
            unit_id,
        },
    )
    .await?;
    println!(
        "created user {} ({}) id {}",
        user.username, user.role, user.id
    );
    if generated {
        println!("password: {pw}");
    }
    Ok(())
}

/// The new account's username, role and unit (by code or id), or every violation in one
/// message.
async fn check_new_user(
    db: &DatabaseConnection,
    username: &str,
    role: &str,
    unit: Option<&str>,
) -> Result<(String, Role, Option<Uuid>), StartupError> {
    let mut v = Violations::new();
    let username = account::username(&mut v, "username", username);
    let role = v.check("role", role.parse::<Role>());
    let unit_id = match unit {
        None => None,
        Some(u) => {
            let (rows, _) = units::list(db, &Default::default(), 0, 100_000).await?;
            let found = rows
                .into_iter()
                .find(|x| x.code == u || x.id.to_string() == u)
                .map(|x| x.id);
            if found.is_none() {
                v.add("unit", "unknown", "no unit has this code or id");
            }
            found
        }
    };
    if let Some(r) = role {
        account::check_role_unit(&mut v, r, unit_id.is_some());
    }
    if let Err(errors) = v.finish(|| ()) {
        let msg: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        return Err(msg.join("; ").into());
    }
    Ok((
        username.unwrap_or_default(),
        role.unwrap_or(Role::Viewer),
        unit_id,
    ))
}

/// BM_NEW_PASSWORD (at least 10 characters), or a generated one; whether it was generated.
fn new_password() -> Result<(String, bool), StartupError> {
    match std::env::var("BM_NEW_PASSWORD") {
        Ok(p) if p.chars().count() >= 10 => Ok((p, false)),
        Ok(_) => Err("BM_NEW_PASSWORD must be at least 10 characters".into()),
        Err(_) => Ok((password::generate(), true)),
    }
}

/// `audit verify`: recomputes the hash chain; an error names the first break.
async fn verify_audit(settings: &Settings) -> Result<(), StartupError> {
    let db = startup::connect_and_migrate(settings).await?;
    let v = crate::persistence::audit::verify(&db).await?;
    if let Some(b) = v.first_break {
        return Err(format!(
            "audit trail broken ({}): {}; the {} events before it are intact",
            b.reason.as_str(),
            b.message,
            v.checked
        )
        .into());
    }
    println!(
        "audit trail intact: {} events, last seq {}, last hash {}",
        v.checked, v.last_seq, v.last_hash
    );
    Ok(())
}
