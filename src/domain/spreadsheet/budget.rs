//! The budget an XLSX must fit before calamine sees it. An XLSX is a zip: a
//! 1 MB upload can unpack to gigabytes, and calamine trusts what the file says
//! (it reserves `uniqueCount` shared strings up front), so the central
//! directory, the declared sizes and the real unpacked sizes are checked here
//! first, reading at most the budget and holding none of it in memory.

use super::SheetFileError;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// More entries than any workbook this application reads has (a plain
/// one-sheet workbook has about ten).
pub const MAX_ENTRIES: u64 = 1_000;

/// The whole workbook unpacked, as declared and as actually inflated.
pub const MAX_UNPACKED_BYTES: u64 = 50 << 20;

/// Parts calamine keeps whole in memory (shared strings, styles): tighter than
/// the total, because each tiny XML element there becomes a heap object.
pub const MAX_LOADED_PART_BYTES: u64 = 8 << 20;

/// Above this unpacked size an entry must not be compressed more than
/// [`MAX_RATIO`] to one: real spreadsheets stay far below, bombs far above.
const RATIO_CHECKED_ABOVE: u64 = 1 << 20;
pub const MAX_RATIO: u64 = 200;

/// Shared strings a workbook may declare (`uniqueCount`, `count`).
pub const MAX_SHARED_STRINGS: u64 = 200_000;

/// How much of the shared strings part is read to find its `<sst …>` tag.
const SHARED_STRINGS_HEAD: u64 = 4 << 10;

/// The shortest shared string, `<si/>`: a part of n bytes holds at most n/5.
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// The end-of-central-directory record: its signature, its fixed size, and
/// the longest comment that may follow it.
const EOCD_SIGNATURE: &[u8; 4] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
const MAX_COMMENT: usize = u16::MAX as usize;

/// Checks an XLSX against the budget without keeping anything it unpacks.
pub fn check(bytes: &[u8]) -> Result<(), SheetFileError> {
    // Read from the record itself before the zip crate sizes its tables
    // from the central directory.
    let declared_entries = eocd_entry_count(bytes).ok_or(SheetFileError::NotAWorkbook)?;
    if declared_entries > MAX_ENTRIES {
        return Err(SheetFileError::TooManyEntries(declared_entries));
    }
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|_| SheetFileError::NotAWorkbook)?;
    let entries = archive.len() as u64;
    if entries > MAX_ENTRIES {
        return Err(SheetFileError::TooManyEntries(entries));
    }
    let mut declared_total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| SheetFileError::NotAWorkbook)?;
        let name = entry_name(entry.name_raw());
        let size = entry.size();
        declared_total = declared_total.saturating_add(size);
        if declared_total > MAX_UNPACKED_BYTES {
            return Err(SheetFileError::TooLarge(declared_total));
        }
        if is_loaded_part(&name) && size > MAX_LOADED_PART_BYTES {
            return Err(SheetFileError::PartTooLarge { name, bytes: size });
        }
        let ratio = size / entry.compressed_size().max(1);
        if size > RATIO_CHECKED_ABOVE && ratio > MAX_RATIO {
            return Err(SheetFileError::Compression { name, ratio });
        }
    }
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|_| SheetFileError::NotAWorkbook)?;
        let name = entry_name(entry.name_raw());
        let declared = entry.size();
        if is_shared_strings(&name) {
            let mut head = Vec::new();
            (&mut entry)
                .take(SHARED_STRINGS_HEAD)
                .read_to_end(&mut head)
                .map_err(|_| SheetFileError::Damaged(name.clone()))?;
            check_shared_strings_head(&head, declared)?;
            inflated_size(&mut entry, declared, head.len() as u64, &name)?;
        } else {
            inflated_size(&mut entry, declared, 0, &name)?;
        }
    }
    Ok(())
}

/// Inflates the rest of an entry into nothing, at most one byte past its
/// declared size: an entry that unpacks to more than it declares is refused
/// without unpacking the rest.
fn inflated_size(
    entry: &mut impl Read,
    declared: u64,
    already_read: u64,
    name: &str,
) -> Result<(), SheetFileError> {
    let limit = (declared + 1).saturating_sub(already_read);
    let rest = std::io::copy(&mut entry.take(limit), &mut std::io::sink())
        .map_err(|_| SheetFileError::Damaged(name.to_owned()))?;
    if already_read + rest > declared {
        return Err(SheetFileError::SizeMismatch(name.to_owned()));
    }
    Ok(())
}

/// `count` and `uniqueCount` of `<sst …>` within the budget and within what
/// the part's size can hold.
fn check_shared_strings_head(head: &[u8], declared_bytes: u64) -> Result<(), SheetFileError> {
    let Some(tag) = sst_tag(head) else {
        // calamine reports a part without the tag as damaged itself.
        return Ok(());
    };
    let most = MAX_SHARED_STRINGS.min(declared_bytes / MIN_SHARED_STRING_BYTES);
    for attribute in ["uniqueCount", "count"] {
        let Some(value) = attribute_value(tag, attribute) else {
            continue;
        };
        // Digits beyond u64 are over budget too, not a reason to fail open.
        let count = value
            .parse::<u64>()
            .unwrap_or(if value.bytes().all(|b| b.is_ascii_digit()) {
                u64::MAX
            } else {
                0
            });
        if count > most {
            return Err(SheetFileError::SharedStrings(count));
        }
    }
    Ok(())
}

/// The text of the `<sst …>` start tag (without `<` and `>`), if the head holds it whole.
fn sst_tag(head: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The head may end inside a multi-byte character.
        Err(error) => std::str::from_utf8(&head[..error.valid_up_to()]).ok()?,
    };
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let tag = &after[..end];
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next()?;
        // `sst` or a prefixed `x:sst`, as calamine matches the local name.
        if name.rsplit(':').next() == Some("sst") {
            return Some(tag);
        }
        rest = &after[end..];
    }
    None
}

/// The value of `name="…"` (or single quotes) in a start tag.
fn attribute_value<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(position) = rest.find(name) {
        let before = rest[..position].chars().next_back();
        let after = rest[position + name.len()..].trim_start();
        rest = &rest[position + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let value = &value[1..];
        return Some(value[..value.find(quote)?].trim());
    }
    None
}

/// The number of entries the end-of-central-directory record declares;
/// `None` when there is no record. A ZIP64 archive says 0xFFFF here and
/// counts elsewhere: no workbook of this size needs ZIP64, so it stands as
/// over the limit.
fn eocd_entry_count(bytes: &[u8]) -> Option<u64> {
    if bytes.len() < EOCD_LEN {
        return None;
    }
    let earliest = bytes.len().saturating_sub(EOCD_LEN + MAX_COMMENT);
    let start = (earliest..=bytes.len() - EOCD_LEN)
        .rev()
        .find(|&at| &bytes[at..at + 4] == EOCD_SIGNATURE)?;
    let total = u16::from_le_bytes([bytes[start + 10], bytes[start + 11]]);
    Some(if total == u16::MAX {
        u64::MAX
    } else {
        u64::from(total)
    })
}

/// An entry name for messages: lossy UTF-8, at most 100 characters.
fn entry_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).chars().take(100).collect()
}

fn is_shared_strings(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with("sharedstrings.xml")
}

fn is_loaded_part(name: &str) -> bool {
    is_shared_strings(name) || name.to_ascii_lowercase().ends_with("styles.xml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .expect("entry");
            writer.write_all(content).expect("content");
        }
        writer.finish().expect("zip").into_inner()
    }

    #[test]
    fn a_workbook_this_application_writes_is_within_budget() {
        let bytes = super::super::write_xlsx("s", &["a"], [vec!["x"]], &[]).expect("xlsx");
        assert_eq!(check(&bytes), Ok(()));
    }

    #[test]
    fn a_shared_strings_count_beyond_budget_is_refused() {
        let part = br#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="100000000000"><si><t>a</t></si></sst>"#;
        let bytes = zip_of(&[("xl/sharedStrings.xml", part)]);
        assert_eq!(
            check(&bytes),
            Err(SheetFileError::SharedStrings(100_000_000_000))
        );
    }

    #[test]
    fn a_shared_strings_count_the_part_cannot_hold_is_refused() {
        let part = br#"<sst uniqueCount='50'><si><t>a</t></si></sst>"#;
        let bytes = zip_of(&[("xl/sharedStrings.xml", part)]);
        assert_eq!(check(&bytes), Err(SheetFileError::SharedStrings(50)));
        let digits = br#"<x:sst count="99999999999999999999999"></x:sst>"#;
        let bytes = zip_of(&[("xl/SharedStrings.xml", digits)]);
        assert_eq!(check(&bytes), Err(SheetFileError::SharedStrings(u64::MAX)));
    }

    #[test]
    fn an_honest_shared_strings_count_passes() {
        let part = br#"<sst count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#;
        assert_eq!(check(&zip_of(&[("xl/sharedStrings.xml", part)])), Ok(()));
    }

    #[test]
    fn too_many_entries_are_refused_before_the_directory_is_read() {
        let names: Vec<String> = (0..1001).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        assert_eq!(
            check(&zip_of(&entries)),
            Err(SheetFileError::TooManyEntries(1001))
        );
    }

    #[test]
    fn a_highly_compressed_entry_is_refused() {
        let zeros = vec![b'0'; 2 << 20];
        let bytes = zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]);
        assert!(matches!(
            check(&bytes),
            Err(SheetFileError::Compression { ratio, .. }) if ratio > MAX_RATIO
        ));
    }

    #[test]
    fn bytes_that_are_not_a_zip_are_refused() {
        assert_eq!(check(b"not a zip"), Err(SheetFileError::NotAWorkbook));
    }

    #[test]
    fn an_entry_that_unpacks_to_more_than_it_declares_is_refused() {
        let content = b"<worksheet>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</worksheet>";
        let mut bytes = zip_of(&[("xl/worksheets/sheet1.xml", content)]);
        // Lower the declared size in both the local and the central header.
        let real = (content.len() as u32).to_le_bytes();
        let lie = 10u32.to_le_bytes();
        let mut replaced = 0;
        for at in 0..bytes.len() - 4 {
            if bytes[at..at + 4] == real {
                bytes[at..at + 4].copy_from_slice(&lie);
                replaced += 1;
            }
        }
        assert_eq!(replaced, 2, "both headers carry the size");
        // The zip reader may stop at the declared size itself and fail the
        // checksum; either way the entry is refused before more is inflated.
        let name = "xl/worksheets/sheet1.xml".to_owned();
        let refused = check(&bytes);
        assert!(
            refused == Err(SheetFileError::SizeMismatch(name.clone()))
                || refused == Err(SheetFileError::Damaged(name)),
            "{refused:?}"
        );
    }
}
