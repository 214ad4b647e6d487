//! The yardstick page on its own (`benches/support/yardstick.rs`), for
//! `benches/mixed_load.sh`, which drives the release binary: prints its
//! address and serves until it is stopped.

#[path = "support/yardstick.rs"]
mod yardstick;

#[tokio::main]
async fn main() {
    let address = yardstick::start().await;
    println!("yardstick serving on {address}");
    std::future::pending::<()>().await;
}
