//! The request id (issue #14): one per request, on every log line of it and
//! in the `X-Request-Id` answer header. A proxy in front may have given the
//! request one already; that one is kept only when it is short printable
//! ASCII, so it cannot forge log lines, break a header or bloat the logs.

/// The longest incoming id kept (a UUID is 36, a trace id 32).
pub const MAX_LEN: usize = 64;

/// The incoming id when it may be kept as it is.
pub fn accept(incoming: &[u8]) -> Option<&str> {
    let fits = !incoming.is_empty() && incoming.len() <= MAX_LEN;
    // Visible ASCII only: no space, no control character, no quote that
    // would need escaping in a text log line.
    let printable = incoming
        .iter()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\\'));
    if fits && printable {
        std::str::from_utf8(incoming).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_printable_ids_are_kept() {
        assert_eq!(accept(b"abc-123_XYZ.9"), Some("abc-123_XYZ.9"));
        assert_eq!(
            accept(b"0f8fad5b-d9cb-469f-a165-70867728950e"),
            Some("0f8fad5b-d9cb-469f-a165-70867728950e")
        );
        assert_eq!(accept(&[b'a'; MAX_LEN]).map(str::len), Some(MAX_LEN));
    }

    #[test]
    fn anything_else_is_replaced() {
        for bad in [
            &b""[..],
            &[b'a'; MAX_LEN + 1],
            b"with space",
            b"line\nbreak",
            b"tab\there",
            b"quote\"d",
            b"back\\slash",
            "中文".as_bytes(),
            b"\x7f",
        ] {
            assert_eq!(accept(bad), None, "{bad:?}");
        }
    }
}
