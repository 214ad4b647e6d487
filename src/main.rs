//! The `samplepost` command: serve (default), migrate, create-admin.

use clap::{Parser, Subcommand};
use samplepost::app;
use samplepost::config::{Overrides, Settings};
use samplepost::domain::email::Email;
use samplepost::domain::status::Role;
use samplepost::services::accounts;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "samplepost",
    version,
    about = "Sample logistics portal with a route review board"
)]
struct Cli {
    /// Address to listen on (env BIND, default 127.0.0.1:8080).
    #[arg(long, global = true)]
    bind: Option<String>,
    /// Folder for the SQLite file, uploads and the session key (env DATA_DIR, default ./data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, create the admin on first start, and serve HTTP (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create a platform admin and print its one-time password.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let overrides = Overrides {
        bind: cli.bind,
        data_dir: cli.data_dir,
    };
    match run(cli.command.unwrap_or(Command::Serve), overrides) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("samplepost: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, overrides: Overrides) -> Result<(), String> {
    let settings = Settings::from_env(overrides).map_err(|e| e.to_string())?;
    let pool = app::prepare_database(&settings).map_err(|e| e.to_string())?;
    match command {
        Command::Migrate => {
            println!("Database is up to date.");
            Ok(())
        }
        Command::CreateAdmin { email } => {
            let email =
                Email::parse(&email).map_err(|_| format!("{email:?} is not an e-mail address"))?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let (user, password) =
                accounts::create_staff_account(&mut conn, &email, "Platform admin", Role::Admin)
                    .map_err(|e| match e {
                        samplepost::services::ServiceError::Invalid(_) => {
                            format!("an account with {} exists already", email.as_str())
                        }
                        other => other.to_string(),
                    })?;
            println!(
                "Created admin {} with one-time password: {password}",
                user.email
            );
            Ok(())
        }
        Command::Serve => {
            if let Some(password) =
                app::ensure_admin(&pool, &settings).map_err(|e| e.to_string())?
            {
                println!(
                    "Created platform admin {} with one-time password: {password}\n\
                     (shown once; you will be asked to change it at first sign-in)",
                    settings.admin_email
                );
            }
            let listener = TcpListener::bind(&settings.bind)
                .map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            println!("Samplepost is serving on http://{address}");
            actix_web::rt::System::new().block_on(async move {
                let server = app::serve(listener, pool, settings).map_err(|e| e.to_string())?;
                server.await.map_err(|e| e.to_string())
            })
        }
    }
}
