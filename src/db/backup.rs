//! `samplepost backup --to FILE` and `restore --from FILE` on SQLite,
//! through SQLite's online backup API (`sqlite3_backup_*`).
//!
//! The copy is taken in one step under one read transaction of the source:
//! in WAL mode that is a consistent snapshot and writers go on meanwhile
//! (a step-by-step copy would restart at every write of a busy app). diesel
//! does not expose the API, so this speaks to the SQLite library it links
//! (`libsqlite3-sys`, bundled) directly; every pointer stays inside this file.

use libsqlite3_sys as ffi;
use std::ffi::{CStr, CString};
use std::os::raw::c_int;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Busy steps (each after the 5 s busy timeout) before giving up.
const MAX_BUSY_STEPS: u32 = 12;

/// An open SQLite database handle, closed when dropped.
struct Handle(*mut ffi::sqlite3);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the pointer came from sqlite3_open_v2 (which hands out a
        // handle even on failure, to be closed) and is closed once, here.
        unsafe {
            ffi::sqlite3_close(self.0);
        }
    }
}

impl Handle {
    fn open(name: &str, flags: c_int) -> Result<Handle, String> {
        let c_name = CString::new(name).map_err(|_| format!("{name:?} holds a NUL byte"))?;
        let mut db = std::ptr::null_mut();
        // SAFETY: c_name outlives the call; db receives a handle we own.
        let rc = unsafe {
            ffi::sqlite3_open_v2(
                c_name.as_ptr(),
                &mut db,
                flags | ffi::SQLITE_OPEN_URI,
                std::ptr::null(),
            )
        };
        let handle = Handle(db);
        if rc != ffi::SQLITE_OK {
            return Err(format!("cannot open {name}: {}", handle.error()));
        }
        // SAFETY: a valid open handle.
        unsafe {
            ffi::sqlite3_busy_timeout(handle.0, 5_000);
        }
        Ok(handle)
    }

    fn error(&self) -> String {
        if self.0.is_null() {
            return "out of memory".to_owned();
        }
        // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by
        // the handle, valid until the next call on it; copied at once.
        unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) }
            .to_string_lossy()
            .into_owned()
    }

    /// Copies every page of `source`'s main database into this one.
    fn copy_from(&self, source: &Handle) -> Result<(), String> {
        let main = c"main";
        // SAFETY: both handles are open; `main` is a static C string.
        let backup =
            unsafe { ffi::sqlite3_backup_init(self.0, main.as_ptr(), source.0, main.as_ptr()) };
        if backup.is_null() {
            return Err(self.error());
        }
        let mut busy = 0;
        let outcome = loop {
            // SAFETY: backup is live until sqlite3_backup_finish below.
            match unsafe { ffi::sqlite3_backup_step(backup, -1) } {
                ffi::SQLITE_DONE => break Ok(()),
                // Each step already waited busy_timeout (5 s); a database
                // still locked after a minute is in use (a restore into a
                // running app), so say so rather than wait forever.
                ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED if busy < MAX_BUSY_STEPS => {
                    busy += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => {
                    break Err("the database stayed locked; is the app still running?".to_owned());
                }
                ffi::SQLITE_OK => {}
                _ => break Err(self.error()),
            }
        };
        // SAFETY: finishes (and frees) the backup object exactly once.
        let finished = unsafe { ffi::sqlite3_backup_finish(backup) };
        outcome?;
        if finished != ffi::SQLITE_OK {
            return Err(self.error());
        }
        Ok(())
    }

    /// `PRAGMA quick_check` and whether the schema has Samplepost's
    /// migrations table: what makes a file worth restoring.
    fn looks_whole(&self) -> Result<(), String> {
        let sql = c"SELECT (SELECT quick_check FROM pragma_quick_check LIMIT 1), \
                    (SELECT COUNT(*) FROM sqlite_master WHERE name = '__diesel_schema_migrations')";
        let mut statement = std::ptr::null_mut();
        // SAFETY: a valid handle and a static C string; statement is
        // finalized below on every path.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                self.0,
                sql.as_ptr(),
                -1,
                &mut statement,
                std::ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error());
        }
        // SAFETY: statement is prepared; columns read only after SQLITE_ROW,
        // the text copied before finalize.
        let (rc, check, migrations) = unsafe {
            let rc = ffi::sqlite3_step(statement);
            let (check, migrations) = if rc == ffi::SQLITE_ROW {
                let text = ffi::sqlite3_column_text(statement, 0);
                let check = if text.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(text.cast()).to_string_lossy().into_owned()
                };
                (check, ffi::sqlite3_column_int64(statement, 1))
            } else {
                (String::new(), 0)
            };
            ffi::sqlite3_finalize(statement);
            (rc, check, migrations)
        };
        if rc != ffi::SQLITE_ROW {
            return Err(self.error());
        }
        if check != "ok" {
            return Err(format!("the integrity check says: {check}"));
        }
        if migrations == 0 {
            return Err("it is not a Samplepost database (no migrations table)".to_owned());
        }
        Ok(())
    }
}

/// The partial file a copy is written to before it takes its name, so an
/// interrupted backup never leaves a file that looks finished.
fn partial(to: &Path) -> PathBuf {
    let mut name = to.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Copies the live database `url` to the new file `to` while the app runs.
pub fn backup(url: &str, to: &Path) -> Result<(), String> {
    if to.exists() {
        return Err(format!(
            "{} exists already; choose a new file (nothing was written)",
            to.display()
        ));
    }
    let temporary = partial(to);
    let name = temporary.to_string_lossy().into_owned();
    let written = (|| {
        let source = Handle::open(url, ffi::SQLITE_OPEN_READONLY)?;
        let target = Handle::open(&name, ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE)?;
        target.copy_from(&source)?;
        target.looks_whole()
    })();
    if let Err(why) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(why);
    }
    std::fs::rename(&temporary, to).map_err(|e| format!("cannot name {}: {e}", to.display()))
}

/// Replaces the database `url` with the backup `from`, after checking it
/// is a whole Samplepost database. The app must be stopped.
pub fn restore(url: &str, from: &Path) -> Result<(), String> {
    let source_name = from.to_string_lossy().into_owned();
    if !from.is_file() {
        return Err(format!("{source_name} is not a file"));
    }
    let source = Handle::open(&source_name, ffi::SQLITE_OPEN_READONLY)?;
    source
        .looks_whole()
        .map_err(|why| format!("{source_name} cannot be restored: {why} (nothing was changed)"))?;
    let target = Handle::open(url, ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE)?;
    target.copy_from(&source)
}
