//! The `duban` binary: parse the command line, start logging, run the command.

use clap::Parser;

/// malloc and free were the largest user-space cost in the profile of the unit dashboard
/// (BENCHMARKS.md); mimalloc serves the many short-lived allocations of a request faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = duban::cli::Cli::parse();
    duban::telemetry::init(cli.config.log_format);
    match duban::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
