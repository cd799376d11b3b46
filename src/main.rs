use std::process::ExitCode;

use clap::Parser;

use budget_monitor::cli::{self, Cli};

fn main() -> ExitCode {
    // Before the runtime and its threads exist.
    budget_monitor::memory::tune_allocator();
    run(Cli::parse())
}

#[actix_web::main]
async fn run(cli: Cli) -> ExitCode {
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
