//! Multi-row INSERTs written as SQL text, for generated rows only.
//!
//! Millions of rows go in far faster as `INSERT … VALUES (…), (…)` of a few
//! hundred rows each than through bound statements one row at a time (and
//! without the bind-parameter limits of either backend). Every value comes
//! from the generator, never from a user; text is still quoted properly.

use crate::db::DbConnection;
use chrono::NaiveDateTime;
use diesel::QueryResult;
use diesel::connection::SimpleConnection;

/// Rows per statement: large enough to amortise parsing, small enough to
/// keep each statement's text under a megabyte.
const ROWS_PER_STATEMENT: usize = 400;

/// One SQL literal.
pub enum V<'a> {
    Int(i64),
    Real(f64),
    Text(&'a str),
    Owned(String),
    Bool(bool),
    Time(NaiveDateTime),
    Null,
}

impl V<'_> {
    fn write(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            V::Int(n) => {
                let _ = write!(out, "{n}");
            }
            V::Real(x) if x.is_finite() => {
                let _ = write!(out, "{x:?}");
            }
            V::Real(_) | V::Null => out.push_str("NULL"),
            V::Text(text) => quote(out, text),
            V::Owned(text) => quote(out, text),
            V::Bool(true) => out.push_str("TRUE"),
            V::Bool(false) => out.push_str("FALSE"),
            V::Time(at) => {
                let _ = write!(out, "'{}'", at.format("%Y-%m-%d %H:%M:%S"));
            }
        }
    }
}

fn quote(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

/// Rows for one table, sent whenever a statement's worth has gathered.
pub struct Batch {
    head: String,
    sql: String,
    rows: usize,
    /// Rows written in all.
    pub written: u64,
}

impl Batch {
    pub fn new(table: &str, columns: &[&str]) -> Batch {
        Batch {
            head: format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")),
            sql: String::new(),
            rows: 0,
            written: 0,
        }
    }

    /// Adds a row (values in the order of the columns). Rows are sent by
    /// [`Batch::flush`]: the caller flushes parents before children, since
    /// foreign keys are checked at once.
    pub fn row(&mut self, values: &[V]) {
        if self.rows == 0 {
            self.sql.clear();
            self.sql.push_str(&self.head);
        } else {
            self.sql.push_str(", ");
        }
        self.sql.push('(');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            value.write(&mut self.sql);
        }
        self.sql.push(')');
        self.rows += 1;
    }

    /// Whether a statement's worth of rows has gathered.
    pub fn full(&self) -> bool {
        self.rows >= ROWS_PER_STATEMENT
    }

    /// Sends what has gathered.
    pub fn flush(&mut self, conn: &mut DbConnection) -> QueryResult<()> {
        if self.rows > 0 {
            conn.batch_execute(&self.sql)?;
            self.written += self.rows as u64;
            self.rows = 0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_quoted_and_reals_keep_their_point() {
        let mut out = String::new();
        V::Text("it's").write(&mut out);
        V::Real(2.0).write(&mut out);
        V::Real(f64::NAN).write(&mut out);
        assert_eq!(out, "'it''s'2.0NULL");
    }
}
