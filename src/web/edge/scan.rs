//! Looks for control characters in what a request carries: the path's
//! segments, the query string and the text fields of a form body (never in
//! uploaded files). Reading a form body here also finds its CSRF token.

use super::EdgeError;
use super::redirect::{hex_pair, percent_decode};
use crate::web::csrf;
use actix_web::error::PayloadError;
use actix_web::http::header::HeaderMap;
use actix_web::web::Bytes;
use futures_util::StreamExt;

/// Fields checked elsewhere: the sign-in target never reaches the database,
/// and `local_path` answers an odd one by going to the home page, so the
/// visitor still signs in instead of seeing an error.
const CHECKED_ELSEWHERE: &[&str] = &["next"];

/// Longest field name repeated on the error page.
const NAME_SHOWN: usize = 60;

/// Whether a field's value may hold `c`: tab, LF and CR are text (a
/// multi-line field needs them); NUL, the other C0 controls, DEL and the C1
/// controls (U+0080–U+009F) are not.
fn refused_in_value(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Field names come from the site's own pages and path segments from its
/// links: neither ever holds a control character, not even a tab.
fn refused_in_name(c: char) -> bool {
    c.is_control()
}

/// Each segment of the raw path, percent-decoded (`/app/orders/%00`).
pub fn path(raw: &str) -> Result<(), EdgeError> {
    let refused = raw.split('/').any(|segment| {
        String::from_utf8_lossy(&percent_decode(segment.as_bytes()))
            .chars()
            .any(refused_in_name)
    });
    if refused {
        Err(EdgeError::ControlInPath)
    } else {
        Ok(())
    }
}

/// Every name and value of the query string. Typed addresses may hold a
/// lone `%`, so it is read as leniently as the `Query` extractor reads it.
pub fn query(raw: &str) -> Result<(), EdgeError> {
    for (name, value) in pairs(raw.as_bytes()) {
        let (name, value) = (plus_decode(name), plus_decode(value));
        check(
            &String::from_utf8_lossy(&name),
            &String::from_utf8_lossy(&value),
        )?;
    }
    Ok(())
}

/// Every field of a URL-encoded body; returns the CSRF token. Browsers
/// escape every `%` and send UTF-8, so anything else is a malformed body
/// (400), not a CSRF failure.
pub fn urlencoded(body: &[u8]) -> Result<Option<String>, EdgeError> {
    let mut token = None;
    for (name, value) in pairs(body) {
        let (name, value) = (strict_decode(name)?, strict_decode(value)?);
        check(&name, &value)?;
        if name == csrf::FIELD && token.is_none() {
            token = Some(value);
        }
    }
    Ok(token)
}

/// Every text field of a multipart body (parts with a file name or a
/// content type of their own are files and are left to the upload checks);
/// returns the CSRF token.
pub async fn multipart(headers: &HeaderMap, body: Bytes) -> Result<Option<String>, EdgeError> {
    let stream = futures_util::stream::once(async move { Ok::<Bytes, PayloadError>(body) });
    let mut multipart = actix_multipart::Multipart::new(headers, stream);
    let mut token = None;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| EdgeError::Malformed)?;
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field
            .content_disposition()
            .is_some_and(|d| d.get_filename().is_some())
            || field
                .content_type()
                .is_some_and(|mime| mime.essence_str() != "text/plain");
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| EdgeError::Malformed)?;
            if !is_file {
                value.extend_from_slice(&chunk);
            }
        }
        if is_file {
            check(&name, "")?;
            continue;
        }
        let value = String::from_utf8(value).map_err(|_| EdgeError::Malformed)?;
        check(&name, &value)?;
        if name == csrf::FIELD && token.is_none() {
            token = Some(value);
        }
    }
    Ok(token)
}

fn check(name: &str, value: &str) -> Result<(), EdgeError> {
    let refused = name.chars().any(refused_in_name)
        || (!CHECKED_ELSEWHERE.contains(&name) && value.chars().any(refused_in_value));
    if refused {
        return Err(EdgeError::ControlInField(shown(name)));
    }
    Ok(())
}

/// The field's name as the error page may repeat it: control characters
/// made visible, and not too long.
fn shown(name: &str) -> String {
    name.chars()
        .take(NAME_SHOWN)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// `a=1&b&&c=` → `(a, 1)`, `(b, "")`, `(c, "")`.
fn pairs(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    raw.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &pair[pair.len()..]),
        })
}

fn plus_decode(raw: &[u8]) -> Vec<u8> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_decode(&spaced)
}

/// Decodes `+` and `%XX`; a `%` without two hex digits, or bytes that are
/// not UTF-8 once decoded, make the body malformed.
fn strict_decode(raw: &[u8]) -> Result<String, EdgeError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'%' => {
                let byte = hex_pair(raw.get(i + 1..i + 3)).ok_or(EdgeError::Malformed)?;
                out.push(byte);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| EdgeError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(result: Result<Option<String>, EdgeError>) -> Option<String> {
        match result {
            Err(EdgeError::ControlInField(name)) => Some(name),
            _ => None,
        }
    }

    #[test]
    fn nul_in_any_field_is_refused_and_named() {
        let body = b"csrf_token=t&email=a%00b%40example.cn";
        assert_eq!(refused_field(urlencoded(body)), Some("email".to_owned()));
    }

    #[test]
    fn every_c0_and_c1_control_but_tab_and_newlines_is_refused() {
        for code in (0u32..0x20).chain(0x7f..0xa0) {
            let c = char::from_u32(code).expect("a char");
            let value = format!("a{c}b");
            let body = serde_urlencoded::to_string([("comment", value.as_str())]).expect("encoded");
            let expected = !matches!(c, '\t' | '\n' | '\r');
            assert_eq!(
                urlencoded(body.as_bytes()).is_err(),
                expected,
                "U+{code:04X}"
            );
        }
    }

    #[test]
    fn multi_line_text_and_chinese_pass_and_the_token_is_found() {
        let body = serde_urlencoded::to_string([
            ("csrf_token", "abc"),
            ("comment", "第一行\r\n\tsecond line"),
        ])
        .expect("encoded");
        assert_eq!(
            urlencoded(body.as_bytes()).ok(),
            Some(Some("abc".to_owned()))
        );
    }

    #[test]
    fn a_broken_escape_or_invalid_utf8_is_a_malformed_body() {
        assert!(matches!(urlencoded(b"a=%ZZ"), Err(EdgeError::Malformed)));
        assert!(matches!(urlencoded(b"a=%4"), Err(EdgeError::Malformed)));
        assert!(matches!(urlencoded(b"a=%FF"), Err(EdgeError::Malformed)));
    }

    #[test]
    fn the_sign_in_target_is_left_to_its_own_check() {
        assert!(urlencoded(b"next=%0d%0a%00").is_ok());
        assert!(query("next=/app%00").is_ok());
    }

    #[test]
    fn a_field_name_with_a_control_character_is_shown_harmlessly() {
        assert_eq!(
            refused_field(urlencoded(b"a%09b=1")),
            Some("a\u{FFFD}b".to_owned())
        );
    }

    #[test]
    fn queries_are_read_leniently_but_controls_are_refused() {
        assert!(query("q=100%&page=2").is_ok());
        assert!(query("q=a+b%20c").is_ok());
        assert!(matches!(query("q=%00"), Err(EdgeError::ControlInField(n)) if n == "q"));
        assert!(query("action=x&q=%C2%85").is_err(), "a C1 control");
    }

    #[test]
    fn path_segments_are_decoded_before_the_check() {
        assert!(path("/app/orders/SP123").is_ok());
        assert!(path("/app/orders/%E6%B7%B1").is_ok());
        assert!(matches!(
            path("/app/orders/%00"),
            Err(EdgeError::ControlInPath)
        ));
        assert!(path("/app/orders/a%09b").is_err(), "not even a tab");
    }

    fn multipart_body(parts: &[(&str, Option<&str>, &[u8])]) -> (HeaderMap, Bytes) {
        let mut body = Vec::new();
        for (name, file, value) in parts {
            body.extend_from_slice(b"--XyZ\r\n");
            let disposition = match file {
                Some(file) => {
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n"
                    )
                }
                None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(value);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b"--XyZ--\r\n");
        let mut headers = HeaderMap::new();
        headers.insert(
            actix_web::http::header::CONTENT_TYPE,
            "multipart/form-data; boundary=XyZ"
                .parse()
                .expect("header value"),
        );
        (headers, Bytes::from(body))
    }

    #[actix_web::test]
    async fn multipart_text_fields_are_checked_and_files_are_not() {
        let (headers, body) = multipart_body(&[
            ("csrf_token", None, b"tok"),
            ("licence", Some("a.png"), b"\x89PNG\x00\x01\x02"),
            ("name_en", None, b"Acme"),
        ]);
        assert_eq!(
            multipart(&headers, body).await.ok(),
            Some(Some("tok".to_owned()))
        );
        let (headers, body) = multipart_body(&[("name_en", None, b"Ac\x00me")]);
        assert_eq!(
            refused_field(multipart(&headers, body).await),
            Some("name_en".to_owned())
        );
    }

    #[actix_web::test]
    async fn a_multipart_body_that_does_not_parse_is_malformed() {
        let (headers, _) = multipart_body(&[]);
        let garbage = Bytes::from_static(b"--XyZ\r\nno headers here");
        assert!(matches!(
            multipart(&headers, garbage).await,
            Err(EdgeError::Malformed)
        ));
    }
}
