//! The `peerdesk` command line.

use crate::config::Settings;
use crate::domain::accounts::{self, Roles};
use crate::state::AppState;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "peerdesk",
    version,
    about = "Federated customer-support communities"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (HTTP, inbox, delivery workers).
    Serve(Settings),
    /// Apply pending database migrations and exit.
    Migrate(Settings),
    /// Measure inbox and fan-out throughput on this machine (prints a table).
    #[command(subcommand)]
    Bench(crate::bench::Bench),
    /// Administrative tasks.
    Admin {
        #[command(flatten)]
        settings: Settings,
        #[command(subcommand)]
        task: AdminTask,
    },
}

#[derive(Subcommand)]
enum AdminTask {
    /// Create a local user.
    CreateUser {
        name: String,
        #[arg(long, env = "PEERDESK_NEW_PASSWORD")]
        password: String,
        #[arg(long)]
        admin: bool,
        #[arg(long)]
        staff: bool,
    },
    /// Create a support group.
    CreateGroup {
        name: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        guidelines: String,
    },
}

pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn,activitypub_federation=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(settings) => serve(settings).await,
        Command::Bench(b) => crate::bench::run(b).await,
        Command::Migrate(settings) => {
            let url = settings.database_url.clone();
            let n = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
                let db = crate::db::Db::connect(&url, 1)?;
                db.migrate()
            })
            .await??;
            println!("database is up to date ({n} migrations applied now)");
            Ok(())
        }
        Command::Admin { settings, task } => {
            let state = AppState::new(settings).await?;
            match task {
                AdminTask::CreateUser {
                    name,
                    password,
                    admin,
                    staff,
                } => {
                    let roles = Roles {
                        admin,
                        staff,
                        can_create_groups: admin,
                    };
                    let (_, actor) = accounts::create_user(&state, &name, &password, roles).await?;
                    println!("created user @{} ({})", actor.handle(), actor.ap_id);
                }
                AdminTask::CreateGroup {
                    name,
                    title,
                    description,
                    guidelines,
                } => {
                    let (_, actor) = crate::domain::groups::create_group(
                        &state,
                        None,
                        &name,
                        &title,
                        &description,
                        &guidelines,
                    )
                    .await?;
                    println!("created group @{} ({})", actor.handle(), actor.ap_id);
                }
            }
            Ok(())
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(settings.bind).await?;
    let domain = settings.domain.clone();
    let base = settings.base_url();
    let db_url = settings.database_url.clone();
    let mail = crate::mail::describe(&settings);
    let instance = crate::app::start(settings, listener).await?;
    let users = instance
        .state
        .db
        .run(crate::db::queries::users::count)
        .await?;
    println!("peerdesk {} is running", env!("CARGO_PKG_VERSION"));
    println!("  listening on http://{}", instance.addr);
    println!("  public URL   {base}");
    println!("  database     {db_url}");
    println!("  email        {mail}");
    if users == 0 {
        println!();
        println!("No accounts yet. Create the first admin with:");
        println!("  cargo run --release -- admin --domain {domain} create-user admin --password 'choose-a-long-one' --admin");
    }
    tokio::signal::ctrl_c().await?;
    println!("shutting down");
    instance.kill().await;
    Ok(())
}
