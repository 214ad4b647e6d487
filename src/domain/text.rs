//! Small rules for free text: the checks of free-text fields, and text made
//! safe inside HTML (for markup written by hand: SVG charts, `lang` spans).

/// A required single-line text of at most `max` characters, trimmed.
pub fn required(input: &str, max: usize) -> Result<String, &'static str> {
    let value = input.trim();
    if value.is_empty() {
        return Err("error.required");
    }
    if value.chars().count() > max {
        return Err("error.too_long");
    }
    if value.chars().any(char::is_control) {
        return Err("error.control_characters");
    }
    Ok(value.to_owned())
}

/// Like [`required`], and Latin script only (carriers abroad cannot read Chinese).
pub fn required_latin(input: &str, max: usize) -> Result<String, &'static str> {
    let value = required(input, max)?;
    if value.chars().any(|c| !is_latin(c)) {
        return Err("error.latin_only");
    }
    Ok(value)
}

/// The characters of `input` that are not Latin script (each once, at most eight),
/// so the message can name them.
pub fn non_latin(input: &str) -> Option<String> {
    let mut found: Vec<char> = Vec::new();
    for c in input.chars().filter(|c| !is_latin(*c)) {
        if !found.contains(&c) && found.len() < 8 {
            found.push(c);
        }
    }
    (!found.is_empty()).then(|| found.into_iter().collect())
}

fn is_latin(c: char) -> bool {
    c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

/// A mainland China postcode: six digits.
pub fn cn_postcode(input: &str) -> Result<String, &'static str> {
    let value = input.trim();
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_owned())
    } else {
        Err("error.cn_postcode")
    }
}

/// `text` as HTML content or a quoted attribute value: `& < > " '` escaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_required() {
        assert_eq!(required("   ", 10), Err("error.required"));
    }

    #[test]
    fn chinese_characters_are_refused_where_latin_is_required() {
        assert_eq!(required_latin("深圳 Trading", 50), Err("error.latin_only"));
        assert_eq!(
            required_latin("Société Générale", 50),
            Ok("Société Générale".to_owned())
        );
    }

    #[test]
    fn the_characters_that_are_not_latin_are_named_once() {
        assert_eq!(non_latin("深圳 Road 深圳"), Some("深圳".to_owned()));
        assert_eq!(non_latin("Main Street 5"), None);
    }

    #[test]
    fn a_chinese_postcode_has_six_digits() {
        assert!(cn_postcode("518000").is_ok());
        assert!(cn_postcode("51800").is_err());
    }
}
