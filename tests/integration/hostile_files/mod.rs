//! Hostile files (issue #8): crafted spreadsheets, refused uploads that must
//! leave nothing on disk, the upload quota, formula cells in exports and the
//! headers user files are served with.

mod exports;
mod sheets;
mod uploads;

use crate::common::Browser;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use std::io::Write;

/// One zip entry as it goes into the archive.
pub struct Entry {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

/// An entry stored uncompressed, with its true checksum.
pub fn stored(name: &str, content: &[u8]) -> Entry {
    let mut crc = flate2::Crc::new();
    crc.update(content);
    Entry {
        name: name.to_owned(),
        method: 0,
        data: content.to_vec(),
        crc: crc.sum(),
        size: content.len() as u32,
    }
}

/// A deflated entry that unpacks to `copies` × `chunk`, declaring that size
/// honestly, built without ever holding it: `chunk` is compressed once with
/// a sync flush (a byte-aligned, self-contained run of blocks) and the run is
/// repeated, then closed by an empty final block. Its checksum is left 0: a
/// server that inflates it is already lost.
pub fn bomb(name: &str, chunk: &[u8], copies: usize) -> Entry {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(chunk).expect("compress");
    encoder.flush().expect("sync flush");
    let run = encoder.get_ref().clone();
    let mut data = run.repeat(copies);
    // BFINAL=1, fixed Huffman, end of block.
    data.extend_from_slice(&[0x03, 0x00]);
    Entry {
        name: name.to_owned(),
        method: 8,
        data,
        crc: 0,
        size: u32::try_from(chunk.len() * copies).expect("under 4 GB"),
    }
}

/// A zip archive written byte by byte, so that a test can say anything a
/// hostile file could: local headers, central directory, end record.
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        let name = entry.name.as_bytes();
        let fields = |header: &mut Vec<u8>| {
            header.extend_from_slice(&entry.method.to_le_bytes());
            header.extend_from_slice(&[0; 4]); // time, date
            header.extend_from_slice(&entry.crc.to_le_bytes());
            header.extend_from_slice(&(entry.data.len() as u32).to_le_bytes());
            header.extend_from_slice(&entry.size.to_le_bytes());
            header.extend_from_slice(&(name.len() as u16).to_le_bytes());
            header.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        out.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00");
        fields(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.data);
        central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00");
        fields(&mut central);
        // Comment length, disk, internal and external attributes.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let directory_start = out.len() as u32;
    out.extend_from_slice(&central);
    let count = (entries.len() as u16).to_le_bytes();
    out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
    out.extend_from_slice(&count);
    out.extend_from_slice(&count);
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&directory_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of a one-sheet workbook around its sheet and shared strings.
pub fn workbook_parts() -> Vec<Entry> {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    let rels = format!(
        r#"<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}"><sheets><sheet name="orders" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    vec![
        stored("[Content_Types].xml", types.as_bytes()),
        stored("_rels/.rels", rels.as_bytes()),
        stored("xl/workbook.xml", workbook.as_bytes()),
        stored("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
    ]
}

/// A sheet whose cell A1 is shared string 0.
pub fn one_cell_sheet() -> Entry {
    let sheet = format!(
        r#"<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
    );
    stored("xl/worksheets/sheet1.xml", sheet.as_bytes())
}

/// A workbook whose shared strings claim `uniqueCount`: calamine reserves
/// that many strings up front.
pub fn huge_unique_count() -> Vec<u8> {
    let strings = format!(
        r#"<sst xmlns="{MAIN_NS}" count="1" uniqueCount="100000000000"><si><t>name</t></si></sst>"#
    );
    let mut entries = workbook_parts();
    entries.push(one_cell_sheet());
    entries.push(stored("xl/sharedStrings.xml", strings.as_bytes()));
    zip(&entries)
}

/// About 2.5 MB that unpacks to 1 GB of `<si><t>a</t></si>`.
pub fn shared_strings_bomb() -> Vec<u8> {
    let chunk = "<si><t>a</t></si>".repeat(1 << 16);
    let copies = (1 << 30) / chunk.len();
    let mut entries = workbook_parts();
    entries.push(one_cell_sheet());
    entries.push(bomb("xl/sharedStrings.xml", chunk.as_bytes(), copies));
    zip(&entries)
}

/// A sheet of 256 MB of empty cells.
pub fn empty_cells_bomb() -> Vec<u8> {
    let chunk = r#"<c r="A1"/>"#.repeat(1 << 16);
    let copies = (256 << 20) / chunk.len();
    let mut entries = workbook_parts();
    entries.push(bomb("xl/worksheets/sheet1.xml", chunk.as_bytes(), copies));
    zip(&entries)
}

/// A zip with 10,000 empty entries.
pub fn ten_thousand_entries() -> Vec<u8> {
    let entries: Vec<Entry> = (0..10_000)
        .map(|i| stored(&format!("xl/media/{i}.xml"), b""))
        .collect();
    zip(&entries)
}

/// Posts a file to an upload form (`field` is the file input's name).
pub async fn post_file(
    browser: &Browser,
    path: &str,
    field: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str("application/octet-stream")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", browser.csrf().await)
        .part(field.to_owned(), part);
    browser.post_multipart(path, form).await
}
