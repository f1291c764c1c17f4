//! Text from the database is stored byte-exact and made inert only when
//! shown: control characters and bidirectional overrides would otherwise
//! let a record drive the terminal (`\x1b]52;…` writes the clipboard,
//! `\x1b[2J` clears the screen) or reorder what a reviewer reads.

use std::borrow::Cow;

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// One line of text safe to draw: C0/C1 controls and DEL as `\x1b`,
/// bidi controls as `⟨U+202E⟩`.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else if c.is_control() {
            let n = c as u32;
            if n <= 0xff {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes_and_overrides_are_shown_not_obeyed() {
        assert_eq!(inert("plain"), "plain");
        assert_eq!(inert("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(inert("\x1b]52;c;aGk=\x07"), "\\x1b]52;c;aGk=\\x07");
        assert_eq!(inert("abc\u{202E}fed"), "abc⟨U+202E⟩fed");
        assert_eq!(inert("\u{9b}31m"), "\\x9b31m");
        assert_eq!(inert("tab\there"), "tab\\x09here");
    }

    proptest! {
        #[test]
        fn nothing_that_drives_a_terminal_survives(s in any::<String>()) {
            let shown = inert(&s);
            prop_assert!(!shown.chars().any(needs_escape));
        }

        #[test]
        fn safe_text_is_untouched(s in "[a-zA-Z0-9 .,'é漢-]*") {
            prop_assert_eq!(inert(&s), s.as_str());
        }
    }
}
