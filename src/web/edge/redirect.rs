//! Where a sign-in (or any other redirect whose target comes from the
//! request) may send the visitor: only a path on this site.

/// `raw` as a `Location` if it is a path on this site, else `None` (the
/// caller falls back to its own page, e.g. `/app`).
///
/// Browsers drop tabs and newlines from a URL and read `\` as `/`, so
/// `/\t/evil.example` and `/\evil` would leave the site; a value encoded once
/// more (`/%09/evil.example`, `%2F%2Fevil`) must not slip past in disguise
/// either. So the value is percent-decoded once and must then be `/` followed
/// by a character that is neither `/` nor `\`, with no `\` anywhere and no
/// control character at all, raw or decoded: a real target never has one,
/// and a header value cannot carry CR, LF or NUL (they made a 500 before).
pub fn local_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw.as_bytes());
    let has_control = |text: &str| text.chars().any(char::is_control);
    let acceptable = decoded.first() == Some(&b'/')
        && decoded.get(1).is_some_and(|c| !matches!(c, b'/' | b'\\'))
        && !decoded.contains(&b'\\')
        && !has_control(raw)
        && !has_control(&String::from_utf8_lossy(&decoded));
    acceptable.then(|| raw.to_owned())
}

/// Decodes `%XX` escapes once; a `%` without two hex digits stays as it is.
pub(super) fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match (input[i], hex_pair(input.get(i + 1..i + 3))) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// The byte two hex digits spell, if they are two hex digits.
pub(super) fn hex_pair(pair: Option<&[u8]>) -> Option<u8> {
    let pair = pair?;
    let digit = |b: u8| (b as char).to_digit(16);
    let (high, low) = (digit(*pair.first()?)?, digit(*pair.get(1)?)?);
    u8::try_from(high * 16 + low).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_on_this_site_is_kept_with_its_query() {
        assert_eq!(
            local_path("/app/orders?x=1"),
            Some("/app/orders?x=1".to_owned())
        );
        assert_eq!(local_path("/app"), Some("/app".to_owned()));
    }

    #[test]
    fn other_sites_are_refused_in_every_disguise() {
        for target in [
            "//evil",
            "/\\evil",
            "https://evil",
            "/%09/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "%2F%2Fevil",
            "/%2F/evil",
            "/%5Cevil",
            "/app\\..\\evil",
            "evil.example",
            "",
            "/",
        ] {
            assert_eq!(local_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn control_characters_are_refused_raw_or_encoded() {
        for target in [
            "/app\r\nSet-Cookie: x=1",
            "/app%0d%0aSet-Cookie: x=1",
            "/app\0",
            "/app%00",
            "/app\u{85}",
            "/app%C2%85",
        ] {
            assert_eq!(local_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn a_lone_percent_sign_stays_as_it_is() {
        assert_eq!(percent_decode(b"/100%"), b"/100%".to_vec());
        assert_eq!(percent_decode(b"/%zz%41"), b"/%zzA".to_vec());
    }
}
