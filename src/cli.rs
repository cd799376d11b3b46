//! The command line: `serve` (default), `migrate`, `openapi`, `user add`, `audit verify`,
//! `seed-demo`, `seed-province`.

use clap::{Parser, Subcommand};

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

pub async fn run(cli: Cli) -> Result<(), StartupError> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", crate::http::openapi_json());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    crate::telemetry::init(settings.log_json);
    match command {
        Command::Serve => {
            let app = Application::build(settings.clone()).await?;
            tracing::info!(bind = %settings.bind, port = app.port(), "serving");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            startup::connect_and_migrate(&settings).await?;
            println!("database is up to date");
        }
        Command::SeedDemo => {
            let db = startup::connect_and_migrate(&settings).await?;
            // Without the admin now, `serve` would never create it: the database has users.
            if let Some(pw) = startup::ensure_admin(&db, &settings).await? {
                startup::announce_admin_password(&settings, &pw)?;
            }
            let opts = seed::DemoOptions {
                password: std::env::var("BM_DEMO_PASSWORD")
                    .unwrap_or_else(|_| seed::DEMO_PASSWORD.into()),
                offset: settings.utc_offset,
            };
            let summary = seed::seed_demo(&db, &opts).await?;
            print!("{}", summary.render());
        }
        Command::SeedProvince {
            units,
            items,
            indicators,
        } => {
            let db = startup::connect_and_migrate(&settings).await?;
            if let Some(pw) = startup::ensure_admin(&db, &settings).await? {
                startup::announce_admin_password(&settings, &pw)?;
            }
            let opts = seed::province::ProvinceOptions {
                units,
                items_per_unit: items,
                indicators_per_item: indicators,
                password: std::env::var("BM_DEMO_PASSWORD")
                    .unwrap_or_else(|_| seed::DEMO_PASSWORD.into()),
                offset: settings.utc_offset,
            };
            let summary = seed::province::seed_province(&db, &opts).await?;
            print!("{}", summary.render());
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    unit,
                },
        } => {
            let db = startup::connect_and_migrate(&settings).await?;
            let mut v = Violations::new();
            let username = account::username(&mut v, "username", &username);
            let role = v.check("role", role.parse::<Role>());
            let unit_id = match &unit {
                None => None,
                Some(u) => {
                    let (rows, _) = units::list(&db, &Default::default(), 0, 100_000).await?;
                    let found = rows
                        .into_iter()
                        .find(|x| &x.code == u || x.id.to_string() == *u)
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
            let (pw, generated) = match std::env::var("BM_NEW_PASSWORD") {
                Ok(p) if p.chars().count() >= 10 => (p, false),
                Ok(_) => return Err("BM_NEW_PASSWORD must be at least 10 characters".into()),
                Err(_) => (password::generate(), true),
            };
            let user = users::insert(
                &db,
                users::NewUser {
                    username: username.unwrap_or_default(),
                    password_hash: password::hash(&pw)?,
                    role: role.unwrap_or(Role::Viewer),
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
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = startup::connect_and_migrate(&settings).await?;
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
        }
        Command::Openapi => unreachable!(),
    }
    Ok(())
}
