//! The `User-Agent` header as a session list shows it: stored cleaned and
//! bounded, shown as a browser and an operating system.

/// The most characters of a user agent kept with a session.
pub const MAX_CHARS: usize = 300;

/// The header as stored: control characters removed, at most [`MAX_CHARS`].
pub fn clean(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// "Firefox · Windows": the browser and the system in words, or `None` when
/// neither is recognised. Order matters: Edge and Opera also say "Chrome",
/// Chrome also says "Safari", iOS also says "Mac OS X".
pub fn summary(user_agent: &str) -> Option<String> {
    const BROWSERS: &[(&str, &str)] = &[
        ("MicroMessenger/", "WeChat"),
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Macintosh", "macOS"),
        ("HarmonyOS", "HarmonyOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(BROWSERS), find(SYSTEMS)) {
        (Some(browser), Some(system)) => Some(format!("{browser} · {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome · Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
                "Safari · macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50",
                "WeChat · iOS",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox · Linux",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
        ];
        for (header, expected) in cases {
            assert_eq!(summary(header).as_deref(), Some(expected), "{header}");
        }
    }

    #[test]
    fn an_unknown_agent_has_no_summary() {
        assert_eq!(summary(""), None);
        assert_eq!(summary("reqwest"), None);
        assert_eq!(summary("curl/8.5.0").as_deref(), Some("curl"));
    }

    #[test]
    fn a_stored_agent_has_no_control_characters_and_is_bounded() {
        assert_eq!(clean("Firefox\r\n\u{0}/1"), "Firefox/1");
        assert_eq!(clean(&"x".repeat(1000)).chars().count(), MAX_CHARS);
        assert_eq!(clean(&"中".repeat(400)).chars().count(), MAX_CHARS);
    }
}
