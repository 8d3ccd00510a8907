//! The command line: `serve` (default), `migrate`, `import FILE`, `export DOCUMENT`,
//! `user create`, `export-schema`, `seed-synthetic`.

use crate::config::Config;
use crate::domain::Caller;
use crate::domain::audit::chain::Head;
use crate::domain::clock::Clock;
use crate::domain::users::{self, NewUser};
use crate::error::AppError;
use crate::export::{self, DocumentRef, Format};
use crate::{bootstrap, db, graphql, import, startup, synthetic};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// duban: task division plans as tracked work, over GraphQL.
#[derive(Debug, Parser)]
#[command(name = "duban", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do (default: `serve`).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, bootstrap, and serve GraphQL, GraphiQL and health probes.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import a plan file: .txt (as pasted from the county website; UTF-8 or GB18030), .docx,
    /// .xlsx or .xls.
    Import {
        /// The file to import; its extension says how to read it.
        file: PathBuf,
        /// Parse and check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace a document with the same number instead of refusing.
        #[arg(long)]
        replace: bool,
    },
    /// Write a plan's division table (分工表) as .xlsx or .csv, every task included.
    Export {
        /// The document: its id, or its number as registered (盘县政办发〔2014〕103号).
        document: String,
        /// xlsx or csv.
        #[arg(long, value_parser = parse_format)]
        format: Format,
        /// The file to write (`-` for standard output); default: the document's file name
        /// (`<number>-分工表.xlsx`) in the working directory.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write a month's bulletin (督查通报) as a Word document.
    Bulletin {
        /// The month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: crate::domain::assessment::Span,
        /// Only this plan (its id); all plans when omitted.
        #[arg(long)]
        document: Option<i32>,
        /// The file to write (`-` for standard output); default: `督查通报-YYYY-MM.docx` in the
        /// working directory.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Print the GraphQL schema (SDL, sorted) or write it to a file.
    ExportSchema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Exit non-zero if the file differs from the generated schema.
        #[arg(long, requires = "output")]
        check: bool,
    },
    /// Fill an empty database with synthetic plans for load benchmarks (see BENCHMARKS.md).
    SeedSynthetic {
        /// Number of plans of 26 tasks (≈30 units at 1, ≈300 at 1000).
        #[arg(long)]
        scale: u32,
        /// Seed of the random stream: the same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Account commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        username: String,
        /// ADMIN, LEADER, DEPARTMENT or SERVICE (as in the GraphQL enum; lower case is taken too).
        #[arg(long, value_parser = parse_role)]
        role: entity::UserRole,
        /// Name (or alias) of the unit a DEPARTMENT or SERVICE account acts for.
        #[arg(long)]
        department: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// Audit trail commands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain of the audit trail; exit non-zero, naming the first broken entry,
    /// when a row was edited or removed.
    Verify {
        /// An entry recorded earlier with `duban audit head` (`ID:HASH`): fail when the trail no
        /// longer holds it with that hash (entries cut off the end, or the trail rewritten).
        #[arg(long, value_name = "ID:HASH")]
        head: Option<Head>,
    },
    /// Print the last entry as `ID:HASH`, to keep somewhere the database's writers cannot
    /// reach and give to `duban audit verify --head` later.
    Head,
}

/// A role as the GraphQL enum spells it (`DEPARTMENT`), or in lower case: the stored names of
/// `entity::UserRole` are the one definition.
fn parse_role(value: &str) -> Result<entity::UserRole, String> {
    use sea_orm::{ActiveEnum, Iterable};
    entity::UserRole::try_from_value(&value.trim().to_uppercase()).map_err(|_| {
        let names: Vec<String> = entity::UserRole::iter().map(|r| r.to_value()).collect();
        format!("unknown role {value:?}; one of {}", names.join(", "))
    })
}

fn parse_format(value: &str) -> Result<Format, String> {
    Format::parse(value).ok_or_else(|| format!("unknown format {value:?}; xlsx or csv"))
}

/// The whole program: parse the command line, start logging, run the command on a Tokio
/// runtime. Errors print with their cause chain.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init(cli.config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(
        command,
        Command::Import { .. }
            | Command::User(_)
            | Command::SeedSynthetic { .. }
            | Command::Audit(AuditCommand::Verify { .. })
    ) {
        // The command line writes and verifies the trail as the server does: with its key.
        bootstrap::install_audit_key(&cli.config)?;
    }
    match command {
        Command::Serve => serve(&cli.config).await,
        Command::Migrate => {
            let db = db::connect(&cli.config.database_url).await?;
            db::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Import { file, dry_run, replace } => import_file(&cli.config, &file, dry_run, replace).await,
        Command::Export { document, format, output } => export_table(&cli.config, &document, format, output).await,
        Command::User(UserCommand::Create { username, role, department, .. }) => {
            create_user(&cli.config, username, role, department).await
        }
        Command::Bulletin { month, document, output } => write_bulletin(&cli.config, month, document, output).await,
        Command::ExportSchema { output, check } => export_schema(output, check),
        Command::SeedSynthetic { scale, seed } => seed_synthetic(&cli.config, scale, seed).await,
        Command::Audit(AuditCommand::Verify { head }) => verify_audit(&cli.config, head.as_ref()).await,
        Command::Audit(AuditCommand::Head) => print_audit_head(&cli.config).await,
    }
}

async fn verify_audit(config: &Config, pin: Option<&Head>) -> anyhow::Result<()> {
    use crate::domain::audit::chain::Verdict;
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let verdict = crate::domain::audit::verify(&db, &console(config), pin)
        .await
        .map_err(AppError::into_anyhow)
        .context("cannot read the audit trail")?;
    match verdict {
        Verdict::Intact { entries, keyed, head: Some((id, hash)) } => {
            println!("audit trail intact: {entries} entries ({keyed} keyed); head #{id} {hash}");
            if let Some(pin) = pin {
                println!("recorded entry #{} still holds its hash", pin.id);
            }
            println!("(keep `duban audit head` elsewhere: entries cut off the end leave a shorter, intact chain)");
            Ok(())
        }
        Verdict::Intact { .. } => {
            println!("audit trail intact: no entries yet");
            Ok(())
        }
        Verdict::Broken { entry_id, reason } => {
            anyhow::bail!("audit trail broken at entry #{entry_id}: {reason}")
        }
    }
}

async fn print_audit_head(config: &Config) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let head = crate::domain::audit::head(&db, &console(config))
        .await
        .map_err(AppError::into_anyhow)
        .context("cannot read the audit trail")?;
    match head {
        Some(head) => println!("{head}"),
        None => println!("no entries yet"),
    }
    Ok(())
}

async fn seed_synthetic(config: &Config, scale: u32, seed: u64) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let started = std::time::Instant::now();
    let console = console(config);
    let summary = synthetic::seed(&db, &console, scale, seed)
        .await
        .map_err(AppError::into_anyhow)
        .context("cannot seed synthetic data")?;
    println!(
        "seeded scale {scale} (seed {seed}) in {:.1} s: {} units, {} documents, {} tasks, {} assignments, {} reports, {} accounts",
        started.elapsed().as_secs_f64(),
        summary.units,
        summary.documents,
        summary.tasks,
        summary.assignments,
        summary.reports,
        summary.accounts,
    );
    println!("accounts synadmin1-2, leader1-3 and unit<id> all have the password {}", synthetic::PASSWORD);
    Ok(())
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let state = startup::build_state(config).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    if let Some(bind) = config.metrics_bind {
        let metrics = startup::metrics_listener(bind).await?;
        tracing::info!(addr = %metrics.local_addr()?, "metrics are served");
        tokio::spawn(startup::serve(metrics, crate::observe::metrics_router(), startup::shutdown_signal()));
    }
    tracing::info!(%addr, "duban is listening");
    tracing::info!("GraphiQL: http://{addr}/graphiql");
    startup::serve(listener, startup::router(state, config), startup::shutdown_signal()).await
}

/// The operator at the console, at the configured clock.
fn console(config: &Config) -> Caller {
    Caller::system(config.today.map_or_else(Clock::system, Clock::pinned).read())
}

async fn import_file(config: &Config, file: &Path, dry_run: bool, replace: bool) -> anyhow::Result<()> {
    let content = std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let options = import::ImportOptions { dry_run, replace };
    let outcome = import::import_file(&db, &console(config), &name, content, options).await.map_err(|error| {
        let reason = error.reason().map(|r| format!(" ({r})")).unwrap_or_default();
        error.into_app_error().into_anyhow().context(format!("import refused{reason}"))
    })?;
    print!("{}", import::summary::render(&outcome, dry_run));
    Ok(())
}

/// Writes a division table as the console sees it (every task).
async fn export_table(config: &Config, document: &str, format: Format, output: Option<PathBuf>) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let file = export::division_table_file(&db, &console(config), &DocumentRef::parse(document), format)
        .await
        .map_err(AppError::into_anyhow)
        .with_context(|| format!("cannot export document {document}"))?;
    match output {
        Some(path) if path.as_os_str() == "-" => std::io::stdout().write_all(&file.bytes)?,
        output => {
            let path = output.unwrap_or_else(|| PathBuf::from(&file.file_name));
            std::fs::write(&path, &file.bytes).with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {} ({} tasks)", path.display(), file.rows);
        }
    }
    Ok(())
}

/// `2015-03` as the month it names.
fn parse_month(value: &str) -> Result<crate::domain::assessment::Span, String> {
    crate::domain::assessment::Span::parse_month(value).ok_or_else(|| format!("{value} is not a month (YYYY-MM)"))
}

async fn write_bulletin(
    config: &Config,
    month: crate::domain::assessment::Span,
    document: Option<i32>,
    output: Option<PathBuf>,
) -> anyhow::Result<()> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let file = export::bulletin::bulletin_file(&db, &console(config), month, document)
        .await
        .map_err(AppError::into_anyhow)
        .with_context(|| format!("cannot write the bulletin of {}", month.key()))?;
    match output {
        Some(path) if path.as_os_str() == "-" => std::io::stdout().write_all(&file.bytes)?,
        output => {
            let path = output.unwrap_or_else(|| PathBuf::from(&file.file_name));
            std::fs::write(&path, &file.bytes).with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

async fn create_user(
    config: &Config,
    username: String,
    role: entity::UserRole,
    department: Option<String>,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let console = console(config);
    let department_id = match department {
        None => None,
        Some(name) => Some(
            crate::domain::departments::find_by_name(&db, &console, &name)
                .await
                .map_err(AppError::into_anyhow)?
                .with_context(|| format!("no department named {name}"))?
                .id,
        ),
    };
    let user = users::create(&db, &console, NewUser { username, password, role, department_id })
        .await
        .map_err(AppError::into_anyhow)
        .context("cannot create the account")?;
    println!("created account {} (id {}, role {:?})", user.username, user.id, user.role);
    Ok(())
}

fn export_schema(output: Option<PathBuf>, check: bool) -> anyhow::Result<()> {
    let sdl = graphql::sdl();
    match (output, check) {
        (None, _) => print!("{sdl}"),
        (Some(path), false) => {
            std::fs::write(&path, &sdl).with_context(|| format!("cannot write {}", path.display()))?
        }
        (Some(path), true) => {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != sdl {
                bail!("{} is stale: run `cargo run -p duban -- export-schema --output schema.graphql`", path.display());
            }
        }
    }
    Ok(())
}
