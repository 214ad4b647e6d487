//! The `samplepost` command: serve (default), migrate, create-admin,
//! import-rates, quote, watchdog, recompute-stats, remind-reviews, demo, gen-bench-data.

use clap::{Parser, Subcommand};
use samplepost::app;
use samplepost::cli::{self, CliError};
use samplepost::config::{Overrides, Settings};
use samplepost::domain::email::Email;
use samplepost::domain::route::Attributes;
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
    /// Import a rate sheet (.csv or .xlsx); all-or-nothing, exits 2 listing every problem.
    ImportRates { file: PathBuf },
    /// Run one round of the silence watchdog now and print the tickets it opened.
    Watchdog,
    /// Fill a database without orders with a small labelled demo data set (companies,
    /// orders with tracking, reviews); every page then says "演示数据 / demo data".
    Demo,
    /// Fill a database without orders with deterministic benchmark data and rebuild the board's aggregates.
    GenBenchData {
        /// New routes (variations of the demo routes), beside the existing ones.
        #[arg(long, default_value_t = 200)]
        routes: usize,
        #[arg(long, default_value_t = 2000)]
        companies: usize,
        #[arg(long)]
        reviews: usize,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Send the review reminders that are due (2 and 7 days after an order finished) now.
    RemindReviews,
    /// Rebuild the review board's statistics from raw rows; exits 1 listing any difference.
    RecomputeStats,
    /// Verify the invariants (balances, order states against their events, statistics);
    /// exits 1 listing each broken one.
    Check,
    /// Copy the live SQLite database to a new FILE while the app runs (online backup API).
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Replace the SQLite database with a backup FILE (stop the app first).
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Quote a parcel on every route serving the country, cheapest available first.
    Quote {
        /// Destination country (ISO code, e.g. US).
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        postcode: String,
        /// Actual weight in grams.
        #[arg(long, allow_negative_numbers = true)]
        weight_g: i64,
        /// Outer dimensions in millimetres, LxWxH (e.g. 300x200x100).
        #[arg(long)]
        dims_mm: Option<String>,
        #[arg(long)]
        battery: bool,
        #[arg(long)]
        liquid: bool,
        #[arg(long)]
        magnetic: bool,
        #[arg(long)]
        powder: bool,
        /// Declared value in USD.
        #[arg(long)]
        declared_usd: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    if let Err(message) = init_logs() {
        eprintln!("samplepost: {message}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    let overrides = Overrides {
        bind: cli.bind,
        data_dir: cli.data_dir,
    };
    match run(cli.command.unwrap_or(Command::Serve), overrides) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::BadInput(message)) => {
            eprintln!("samplepost: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(message)) => {
            eprintln!("samplepost: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Log lines as text (the default) or, with `LOG_FORMAT=json`, one JSON
/// object a line with the request's span (its `request_id`) in each.
fn init_logs() -> Result<(), String> {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info,actix_server=warn".into())
    };
    match std::env::var("LOG_FORMAT").as_deref() {
        Err(_) | Ok("" | "text") => tracing_subscriber::fmt().with_env_filter(filter()).init(),
        Ok("json") => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .with_env_filter(filter())
            .init(),
        Ok(other) => return Err(format!("LOG_FORMAT must be text or json, not {other:?}")),
    }
    Ok(())
}

fn run(command: Command, overrides: Overrides) -> Result<(), CliError> {
    let settings = Settings::from_env(overrides).map_err(|e| CliError::Failed(e.to_string()))?;
    // A backup reads the database as it is; a restore replaces it: neither
    // may migrate it first.
    match &command {
        Command::Backup { to } => {
            println!("{}", cli::backup(&settings.database_url, to)?);
            return Ok(());
        }
        Command::Restore { from } => {
            println!("{}", cli::restore(&settings.database_url, from)?);
            return Ok(());
        }
        _ => {}
    }
    let pool = app::prepare_database(&settings).map_err(|e| CliError::Failed(e.to_string()))?;
    let connection = || pool.get().map_err(|e| CliError::Failed(e.to_string()));
    match command {
        Command::ImportRates { file } => {
            println!("{}", cli::import_rates(&mut *connection()?, &file)?);
            Ok(())
        }
        Command::Quote {
            to,
            postcode,
            weight_g,
            dims_mm,
            battery,
            liquid,
            magnetic,
            powder,
            declared_usd,
            json,
        } => {
            let args = cli::QuoteArgs {
                to,
                postcode,
                weight_g,
                dims_mm,
                attributes: Attributes {
                    battery,
                    liquid,
                    magnetic,
                    powder,
                },
                declared_usd,
                json,
            };
            println!("{}", cli::quote(&mut *connection()?, &args)?);
            Ok(())
        }
        Command::Demo => {
            println!("{}", cli::demo(&mut *connection()?)?);
            Ok(())
        }
        Command::GenBenchData {
            routes,
            companies,
            reviews,
            seed,
        } => {
            let params = samplepost::bench_data::Params {
                routes,
                companies,
                reviews,
                seed,
            };
            println!("{}", cli::gen_bench_data(&mut *connection()?, &params)?);
            Ok(())
        }
        Command::Watchdog => {
            println!("{}", cli::watchdog(&mut *connection()?)?);
            Ok(())
        }
        Command::RemindReviews => {
            println!("{}", cli::remind_reviews(&mut *connection()?)?);
            Ok(())
        }
        Command::Check => {
            println!("{}", cli::check(&mut *connection()?)?);
            Ok(())
        }
        // Answered above, before the database was prepared.
        Command::Backup { .. } | Command::Restore { .. } => Ok(()),
        Command::RecomputeStats => {
            println!("{}", cli::recompute_stats(&mut *connection()?)?);
            Ok(())
        }
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
            let grace = settings.shutdown_timeout;
            actix_web::rt::System::new()
                .block_on(async move {
                    let (server, workers) =
                        app::start(listener, pool, settings).map_err(|e| e.to_string())?;
                    // Returns once a SIGTERM (or SIGINT) stopped the server.
                    server.await.map_err(|e| e.to_string())?;
                    if workers.stop(grace).await {
                        tracing::info!("background workers stopped; exiting");
                    } else {
                        tracing::warn!("background workers still busy; exiting anyway");
                    }
                    Ok(())
                })
                .map_err(CliError::Failed)
        }
    }
}
