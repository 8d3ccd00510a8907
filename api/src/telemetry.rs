//! Logging setup: `RUST_LOG` filters (default `info`), pretty or JSON lines. Colours only on a
//! terminal (a log file or collector gets plain text); every line of a request carries its
//! `request_id` (the `x-request-id` header, see `startup::router`).

use crate::config::LogFormat;
use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber once; later calls are ignored (tests call it freely).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
