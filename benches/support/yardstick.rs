//! The yardstick page of the benchmarks: the smallest page of the same
//! stack (actix-web, an askama template, one diesel query over an r2d2
//! SQLite pool reading a table of ten rows). Benchmarks report their pages'
//! numbers beside it, measured in the same run on the same machine.

use actix_web::{App, HttpResponse, HttpServer, web};
use askama::Template;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

#[derive(Template)]
#[template(
    source = "<!doctype html><html lang=\"en\"><title>{{ title }}</title><ul>{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul></html>",
    ext = "html"
)]
struct YardstickPage {
    title: &'static str,
    notes: Vec<String>,
}

diesel::table! {
    notes (id) {
        id -> BigInt,
        body -> Text,
    }
}

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// Starts the yardstick page on a random port and returns its address.
pub async fn start() -> String {
    let file = std::env::temp_dir().join(format!("yardstick-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let manager = ConnectionManager::<SqliteConnection>::new(file.to_string_lossy());
    let pool: SqlitePool = Pool::builder().max_size(4).build(manager).expect("pool");
    let mut conn = pool.get().expect("connection");
    diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        .execute(&mut conn)
        .expect("table");
    for i in 0..10 {
        diesel::insert_into(notes::table)
            .values(notes::body.eq(format!("note {i}")))
            .execute(&mut conn)
            .expect("row");
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let address = format!("http://{}/", listener.local_addr().expect("address"));
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .route("/", web::get().to(page))
    })
    .workers(2)
    .listen(listener)
    .expect("listen")
    .run();
    tokio::spawn(server);
    address
}

async fn page(pool: web::Data<SqlitePool>) -> HttpResponse {
    let notes = web::block(move || {
        let mut conn = pool.get().expect("connection");
        notes::table
            .select(notes::body)
            .order(notes::id)
            .load::<String>(&mut conn)
            .expect("notes")
    })
    .await
    .expect("query");
    let html = YardstickPage {
        title: "Yardstick",
        notes,
    }
    .render()
    .expect("render");
    HttpResponse::Ok().content_type("text/html").body(html)
}
