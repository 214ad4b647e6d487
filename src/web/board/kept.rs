//! The board's rendered pages, kept for the catalogue they were rendered
//! from (README, "Speed at scale"): rendering 200 routes took ~3 ms a
//! request, while what the board shows changes only with the kept catalogue
//! (a review, an event, an import) or the demo flag.
//!
//! An entry is a variant of the board: language, demo flag and the
//! normalised query (filters, sort, page). It holds the route list (the
//! part that does not depend on who is looking) and, once an anonymous
//! visitor asked, the whole page with its ETag. Every entry belongs to one
//! catalogue read (`Catalogue::serial`): when a later read comes in, they
//! all go, so a page is never served from an older catalogue than the
//! request's own.

use super::cache;
use actix_web::web::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Variants kept per catalogue: the board has a handful that people use;
/// odd query strings beyond this are rendered and not kept, so a visitor
/// trying many cannot grow the map.
pub const MAX_ENTRIES: usize = 256;

/// One variant of the board.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub lang: &'static str,
    pub demo: bool,
    /// The normalised query string, page included.
    pub query: String,
}

/// A whole page as every anonymous visitor gets it.
pub struct Page {
    pub body: Bytes,
    pub etag: String,
}

impl Page {
    pub fn new(body: String) -> Page {
        Page {
            etag: cache::etag(&body),
            body: Bytes::from(body),
        }
    }
}

/// What is kept of one variant.
#[derive(Clone, Default)]
pub struct Entry {
    /// The route list with its filter form, pager and formula.
    pub list: Option<Arc<str>>,
    /// The anonymous visitor's whole page.
    pub page: Option<Arc<Page>>,
}

/// The kept variants of one application's board.
#[derive(Default)]
pub struct KeptPages {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The catalogue read the entries were rendered from.
    serial: u64,
    entries: HashMap<Key, Entry>,
}

impl KeptPages {
    /// What is kept of `key` for the catalogue read `serial` (nothing when
    /// the kept entries belong to another read).
    pub fn get(&self, serial: u64, key: &Key) -> Entry {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.serial != serial {
            return Entry::default();
        }
        inner.entries.get(key).cloned().unwrap_or_default()
    }

    pub fn keep_list(&self, serial: u64, key: &Key, list: Arc<str>) {
        self.update(serial, key, |entry| entry.list = Some(list));
    }

    pub fn keep_page(&self, serial: u64, key: &Key, page: Arc<Page>) {
        self.update(serial, key, |entry| entry.page = Some(page));
    }

    /// How many variants are kept (for tests).
    pub fn len(&self) -> usize {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn update(&self, serial: u64, key: &Key, change: impl FnOnce(&mut Entry)) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if serial < inner.serial {
            // Rendered from a catalogue older than the kept entries' (a
            // request that began before a change): served, not kept.
            return;
        }
        if serial > inner.serial {
            inner.serial = serial;
            inner.entries.clear();
        }
        if !inner.entries.contains_key(key) && inner.entries.len() >= MAX_ENTRIES {
            return;
        }
        change(inner.entries.entry(key.clone()).or_default());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> Key {
        Key {
            lang: "en",
            demo: false,
            query: query.to_owned(),
        }
    }

    #[test]
    fn entries_belong_to_one_catalogue_read() {
        let kept = KeptPages::default();
        kept.keep_list(3, &key("a"), Arc::from("list a"));
        assert_eq!(kept.get(3, &key("a")).list.as_deref(), Some("list a"));
        assert!(kept.get(3, &key("b")).list.is_none(), "variants do not mix");
        assert!(kept.get(4, &key("a")).list.is_none(), "a later read");
        // An older read's page is not kept over the newer entries.
        kept.keep_page(2, &key("a"), Arc::new(Page::new("old".to_owned())));
        assert!(kept.get(3, &key("a")).page.is_none());
        // A later read's first entry drops the earlier ones.
        kept.keep_page(4, &key("b"), Arc::new(Page::new("new".to_owned())));
        assert!(kept.get(4, &key("a")).list.is_none());
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn the_map_is_bounded() {
        let kept = KeptPages::default();
        for i in 0..MAX_ENTRIES + 10 {
            kept.keep_list(1, &key(&i.to_string()), Arc::from("x"));
        }
        assert_eq!(kept.len(), MAX_ENTRIES);
        // Kept ones still change.
        kept.keep_page(1, &key("0"), Arc::new(Page::new("p".to_owned())));
        assert!(kept.get(1, &key("0")).page.is_some());
    }
}
