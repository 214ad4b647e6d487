//! Bilingual text ("带电 BATTERY", the proforma invoice's headings, the
//! service agreement) carries `lang` on the runs written in the page's other
//! language, so a screen reader reads each run in its own voice (WCAG 3.1.2,
//! issue #15). Only fixed bilingual text goes through here: what users type
//! (names, addresses) is left as typed, as proper names need no `lang`.

use crate::domain::text::escape_html as escape;
use crate::i18n::Lang;

/// A Latin word shorter than this is a code or an abbreviation ("HS", "kg",
/// "No."), read the same in either voice; it stays with the run around it.
const SHORTEST_WORD: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Han,
    Latin,
}

impl Script {
    fn lang(self) -> Lang {
        match self {
            Script::Han => Lang::ZhCn,
            Script::Latin => Lang::En,
        }
    }
}

/// Han characters with the CJK and full-width punctuation that goes with them.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// The text cut into tokens of one kind: a Han stretch, a Latin word, or
/// anything else (spaces, digits, punctuation), which has no language.
fn tokens(text: &str) -> Vec<(Option<Script>, &str)> {
    let kind = |c: char| {
        if is_han(c) {
            Some(Script::Han)
        } else if c.is_alphabetic() {
            Some(Script::Latin)
        } else {
            None
        }
    };
    let mut out: Vec<(Option<Script>, &str)> = Vec::new();
    let mut start = 0;
    let mut current = None;
    for (at, c) in text.char_indices() {
        let k = kind(c);
        if at > start && k != current {
            out.push((current, &text[start..at]));
            start = at;
        }
        current = k;
    }
    if start < text.len() {
        out.push((current, &text[start..]));
    }
    out.into_iter()
        .map(|(k, t)| match k {
            Some(Script::Latin) if t.chars().count() < SHORTEST_WORD => (None, t),
            _ => (k, t),
        })
        .collect()
}

/// Runs of one script: neutral tokens join the run they follow; those at
/// the start ("TO 收件人": a short word is neutral) stay unmarked.
fn runs(text: &str) -> Vec<(Option<Script>, String)> {
    let mut out: Vec<(Option<Script>, String)> = Vec::new();
    for (kind, token) in tokens(text) {
        match (out.last_mut(), kind) {
            (Some((_, words)), None) => words.push_str(token),
            (Some((Some(run), words)), Some(k)) if *run == k => words.push_str(token),
            _ => out.push((kind, token.to_owned())),
        }
    }
    out
}

/// `text` as escaped HTML for a page in `page`: every run in the other
/// language inside `<span lang="…">`, the spaces and separators it ends
/// with ("样品物流服务协议 / ") left outside.
pub fn mark(text: &str, page: Lang) -> String {
    let mut html = String::with_capacity(text.len() + 32);
    for (script, run) in runs(text) {
        match script.map(Script::lang) {
            Some(lang) if lang != page => {
                let words = run
                    .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '/' | '|' | '·'));
                html.push_str(&format!(
                    "<span lang=\"{}\">{}</span>{}",
                    lang.code(),
                    escape(words),
                    escape(&run[words.len()..])
                ));
            }
            _ => html.push_str(&escape(&run)),
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_language_is_marked_and_the_page_language_is_not() {
        assert_eq!(
            mark("PROFORMA INVOICE 形式发票", Lang::En),
            "PROFORMA INVOICE <span lang=\"zh-CN\">形式发票</span>"
        );
        assert_eq!(
            mark("PROFORMA INVOICE 形式发票", Lang::ZhCn),
            "<span lang=\"en\">PROFORMA INVOICE</span> 形式发票"
        );
    }

    #[test]
    fn codes_and_punctuation_stay_with_their_run() {
        // "HS" is a code, the full-width brackets are Chinese punctuation.
        assert_eq!(
            mark("品名、HS 编码（电池）", Lang::ZhCn),
            "品名、HS 编码（电池）"
        );
        assert_eq!(
            mark("1. 服务内容 Scope.", Lang::ZhCn),
            "1. 服务内容 <span lang=\"en\">Scope.</span>"
        );
    }

    #[test]
    fn a_short_word_at_the_start_is_left_unmarked() {
        assert_eq!(
            mark("TO 收件人", Lang::En),
            "TO <span lang=\"zh-CN\">收件人</span>"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            mark("BATTERY & <带电>", Lang::En),
            "BATTERY &amp; &lt;<span lang=\"zh-CN\">带电&gt;</span>"
        );
    }

    #[test]
    fn one_language_only_is_left_alone() {
        assert_eq!(mark("Pickup", Lang::En), "Pickup");
        assert_eq!(mark("", Lang::En), "");
        assert_eq!(mark("2026-11-v1", Lang::ZhCn), "2026-11-v1");
    }
}
