//! `samplepost demo`: a small, realistic, clearly labelled data set, so a
//! newcomer's first start shows a living board (issue #12).
//!
//! Six verified demo companies with the module active ship on the demo
//! routes (the ones `cargo run` seeds from the demo rate sheet): finished
//! orders with tracking events, the warehouse's checks, recipients'
//! confirmations, a few tickets and reviews, all marked `demo`. The flag
//! `app_flags ('demo', '1')` makes every page say that the data is a demo
//! (`web::demo_flag`). It refuses a database that has real orders.

use crate::bench_data::{self, Plan};
use crate::db::DbConnection;
use crate::db::schema::{app_flags, orders, users};
use diesel::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The demo's orders have form tokens `demo-<id>`; the application's are random.
const DEMO_TOKEN: &str = "demo";

/// The flag's name in `app_flags`.
pub const FLAG: &str = "demo";

const COMPANIES: &[(&str, &str)] = &[
    (
        "演示 · 深圳华讯电子有限公司",
        "Demo · Shenzhen Huaxun Electronics Co.",
    ),
    (
        "演示 · 义乌星光饰品有限公司",
        "Demo · Yiwu Starlight Accessories Co.",
    ),
    (
        "演示 · 广州美妍化妆品有限公司",
        "Demo · Guangzhou Meiyan Cosmetics Co.",
    ),
    (
        "演示 · 东莞乐童玩具有限公司",
        "Demo · Dongguan Letong Toys Co.",
    ),
    (
        "演示 · 杭州云织服饰有限公司",
        "Demo · Hangzhou Yunzhi Apparel Co.",
    ),
    (
        "演示 · 厦门宠爱宠物用品有限公司",
        "Demo · Xiamen Chong'ai Pet Supplies Co.",
    ),
];

/// Reviewed orders in the demo set (plus a quarter as many unreviewed).
const REVIEWS: usize = 160;

/// Fills an empty database with the demo set; returns what it wrote.
pub fn run(conn: &mut DbConnection) -> Result<String, String> {
    let flagged = app_flags::table
        .find(FLAG)
        .select(app_flags::value)
        .first::<String>(conn)
        .optional()
        .map_err(|e| e.to_string())?;
    if flagged.is_some_and(|v| v == "1") {
        return Err("this database has the demo data set already".to_owned());
    }
    let real: i64 = orders::table
        .filter(orders::form_token.not_like(format!("{DEMO_TOKEN}-%")))
        .count()
        .get_result(conn)
        .map_err(|e| e.to_string())?;
    if real > 0 {
        return Err(format!(
            "this database has {real} real order(s); the demo data set goes only into a database without orders"
        ));
    }
    let staff_id = demo_operator(conn).map_err(|e| e.to_string())?;
    let plan = Plan {
        demo: true,
        token_prefix: DEMO_TOKEN,
        unreviewed_share: 0.25,
        extras: true,
        company_name: |n| {
            let (zh, en) = COMPANIES[(n - 1) % COMPANIES.len()];
            (zh.to_owned(), en.to_owned())
        },
        staff_id: Some(staff_id),
        bulk: false,
    };
    let mut rng = StdRng::seed_from_u64(2026);
    let summary = bench_data::fill(conn, &mut rng, COMPANIES.len(), REVIEWS, &plan)?;
    set_flag(conn).map_err(|e| e.to_string())?;
    Ok(format!(
        "Demo data set written: {} companies, {} orders, {} reviews, {} events. \
         Every page now says \"演示数据 / demo data\".",
        summary.companies, summary.orders, summary.reviews, summary.events
    ))
}

/// The operator who checked the demo parcels and answered the demo tickets
/// (an account nobody can sign in to: its password hash is no hash).
fn demo_operator(conn: &mut DbConnection) -> QueryResult<i64> {
    const EMAIL: &str = "demo-operator@samplepost.demo";
    if let Some(id) = users::table
        .filter(users::email.eq(EMAIL))
        .select(users::id)
        .first::<i64>(conn)
        .optional()?
    {
        return Ok(id);
    }
    diesel::insert_into(users::table)
        .values((
            users::email.eq(EMAIL),
            users::password_hash.eq("!demo"),
            users::display_name.eq("演示客服 / Demo operator"),
            users::role.eq("operator"),
            users::disabled.eq(true),
            users::created_at.eq(crate::services::now()),
        ))
        .execute(conn)?;
    users::table
        .filter(users::email.eq(EMAIL))
        .select(users::id)
        .first(conn)
}

fn set_flag(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::delete(app_flags::table.find(FLAG)).execute(conn)?;
    diesel::insert_into(app_flags::table)
        .values((app_flags::name.eq(FLAG), app_flags::value.eq("1")))
        .execute(conn)?;
    Ok(())
}

/// Whether the demo flag is set.
pub fn is_on(conn: &mut DbConnection) -> QueryResult<bool> {
    Ok(app_flags::table
        .find(FLAG)
        .select(app_flags::value)
        .first::<String>(conn)
        .optional()?
        .is_some_and(|v| v == "1"))
}

/// The demo flag as pages read it: an atomic in the app state, so no page
/// asks the database; [`watch`] keeps it in step with `app_flags` (the
/// `demo` command may run beside a serving instance).
#[derive(Clone, Debug, Default)]
pub struct DemoFlag(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl DemoFlag {
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn set(&self, on: bool) {
        self.0.store(on, std::sync::atomic::Ordering::Relaxed);
    }
}

/// How often a serving instance looks at the flag.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Re-reads the flag every few seconds for as long as the server runs.
pub async fn watch(
    pool: crate::db::DbPool,
    flag: DemoFlag,
    shutdown: crate::jobs::shutdown::Shutdown,
) {
    loop {
        let pool = pool.clone();
        let read = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            is_on(&mut conn).map_err(|e| e.to_string())
        })
        .await;
        match read {
            Ok(Ok(on)) => flag.set(on),
            Ok(Err(error)) => tracing::warn!(%error, "could not read the demo flag"),
            Err(error) => tracing::warn!(%error, "demo flag task failed"),
        }
        if shutdown.sleep(WATCH_EVERY).await {
            return;
        }
    }
}
