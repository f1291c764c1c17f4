//! Refusing free text that looks like it holds a secret (SPEC §4: "Secrets
//! are never stored").
//!
//! There is no field for a password, PIN or seed anywhere; this module keeps
//! one from slipping in through a reason or a note. [`looks_like_secret`]
//! says why a text looks like it holds one, in words that never repeat it;
//! [`refuse_secret`] turns that into the refusal a front end prints (exit 1).
//!
//! The families, checked in this order:
//! 1. a secret word (password, passcode, PIN, token, secret, API key, OTP,
//!    recovery code, seed, …) followed by `:`/`=` and a value, or by
//!    `is`/`was`/`to`/`-`/`changed to`/… and a value that looks like a
//!    credential (a digit, a symbol, MiXeD case, quoted, or 16+ letters run
//!    together), or directly by a value with upper and lower case and a
//!    digit (`PW Spring2026!`);
//! 2. `key=value` pairs whose key is secret-ish (`pwd=`, `pass=`, `key=`,
//!    `code=`, `db_password=`, a URL's `?token=`);
//! 3. a PIN after "PIN" or "passcode" (`PIN 4821`), a one-time code after
//!    "2FA code" or a texted "code is 448 210", a user name and password
//!    after "login" (`login dana / Whitaker1987!`);
//! 4. a TOTP seed: base32 (`[A-Z2-7]`), 16+ characters, whole or in groups
//!    of four;
//! 5. a long random-looking token: hex of 32+, or 20+ characters mixing
//!    letters and digits (or, from 24, both cases) with Shannon entropy of at
//!    least 3.5 bits a character and something words, CamelCase names, dates
//!    and file names do not have: frequent switches between letters, digits
//!    and cases, five lower-case consonants in a row, or (from 24 characters,
//!    few separators) entropy of 4.3; well-known API key prefixes;
//! 6. a short password-like string mixing upper and lower case, digits and a
//!    symbol (`Tr0ub4dor&3`).
//!
//! Ordinary values are never taken for secrets: URLs, e-mail addresses,
//! dates, times, phone numbers, ticket and employee ids (`INC-2024-00123`,
//! `CR-3`, `P1010`), policy sections (`V.7`) and lengths (`16-character`).
//! A URL as a whole is allowed, except that a secret-ish query parameter
//! (`?token=…`) in it is refused like any `key=value` pair.

use std::sync::OnceLock;

use regex::Regex;

use crate::error::Error;

/// Why `text` looks like it holds a secret, in words that do not repeat the secret
/// (e.g. "a value after \"password\"", "a key=value pair (pwd=…)", "a long random-looking token", "what looks like a TOTP seed"); None when it looks ordinary.
pub fn looks_like_secret(text: &str) -> Option<&'static str> {
    value_after_word(text)
        .or_else(|| user_and_password(text))
        .or_else(|| pin_or_code(text))
        .or_else(|| totp_seed(text))
        .or_else(|| random_token(text))
}

/// Err(Error::Invalid) naming the field: "the reason looks like it holds a secret (a value after \"password\"); secrets are never stored: describe the change without it". Ok for ordinary text.
pub fn refuse_secret(field: &str, text: &str) -> Result<(), Error> {
    match looks_like_secret(text) {
        None => Ok(()),
        Some(why) => Err(Error::Invalid(format!(
            "the {field} looks like it holds a secret ({why}); \
             secrets are never stored: describe the change without it"
        ))),
    }
}

// ---------------------------------------------------------------------------
// Secret words
// ---------------------------------------------------------------------------

/// How a secret word may introduce a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// A password: any use, and a lone word after `password:` counts
    /// ("New password: sunshine").
    Password,
    /// Any use: `:`, `=`, `is`/`was`/`to`, or a complex value right after.
    Any,
    /// `pass:` and `pass=` only ("hall pass to …" is no secret).
    Colon,
    /// `key=` and `code=` only: too common as words.
    Pair,
}

/// A secret word: its canonical form (lower case, no separators, no plural
/// s), the reason given for a value after it, the reason given for
/// `word=value`, and how it may introduce a value.
struct Word {
    canon: &'static str,
    after: &'static str,
    pair: &'static str,
    role: Use,
}

macro_rules! words {
    ($( $canon:literal, $shown:literal, $key:literal, $role:ident; )*) => {
        &[$(Word {
            canon: $canon,
            after: concat!("a value after \"", $shown, "\""),
            pair: concat!("a key=value pair (", $key, "=…)"),
            role: Use::$role,
        }),*]
    };
}

const WORDS: &[Word] = words! {
    "password", "password", "password", Password;
    "passwd", "passwd", "passwd", Password;
    "passcode", "passcode", "passcode", Password;
    "passphrase", "passphrase", "passphrase", Password;
    "pwd", "pwd", "pwd", Password;
    "pw", "pw", "pw", Password;
    "pin", "PIN", "pin", Any;
    "apikey", "API key", "api_key", Any;
    "accesskey", "access key", "access_key", Any;
    "secretkey", "secret key", "secret_key", Any;
    "privatekey", "private key", "private_key", Any;
    "recoverykey", "recovery key", "recovery_key", Any;
    "2facode", "2FA code", "2fa_code", Any;
    "mfacode", "MFA code", "mfa_code", Any;
    "otpcode", "OTP code", "otp_code", Any;
    "totpcode", "TOTP code", "totp_code", Any;
    "verificationcode", "verification code", "verification_code", Any;
    "securitycode", "security code", "security_code", Any;
    "onetimecode", "one-time code", "one_time_code", Any;
    "logincode", "login code", "login_code", Any;
    "authcode", "auth code", "auth_code", Any;
    "smscode", "SMS code", "sms_code", Any;
    "recoverycode", "recovery code", "recovery_code", Any;
    "backupcode", "backup code", "backup_code", Any;
    "otp", "OTP", "otp", Any;
    "totp", "TOTP", "totp", Any;
    "token", "token", "token", Any;
    "secret", "secret", "secret", Any;
    "seedphrase", "seed phrase", "seed_phrase", Password;
    "recoveryphrase", "recovery phrase", "recovery_phrase", Password;
    "seed", "seed", "seed", Any;
    "pass", "pass", "pass", Colon;
    "key", "key", "key", Pair;
    "code", "code", "code", Pair;
};

/// The word as matched ("Recovery Codes", "db_PASSWORD") to its entry.
fn word(matched: &str) -> Option<&'static Word> {
    let canon: String = matched
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let find = |c: &str| WORDS.iter().find(|w| w.canon == c);
    find(&canon).or_else(|| canon.strip_suffix('s').and_then(find))
}

fn word_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // A key may carry a prefix joined by `_`, `.` or `-` (`db_password`,
        // `x-api-key`, `client.secret`), never glued letters (`monkey`, `zipcode`).
        Regex::new(
            r"(?ix)
            (?:^|[^a-z0-9])
            (?:[a-z0-9]+[_.-])*
            (?P<w>
                pass[\s_-]?(?:word|wd|code|phrase)s?
              | pwd | pw | pin
              | (?:api|access|secret|private|recovery)[\s_-]?keys?
              | (?:2fa|mfa|otp|totp|verification|security|one[\s-]?time|login|auth|sms|recovery|backup)[\s_-]?codes?
              | t?otp
              | tokens? | secrets? | (?:seed|recovery)[\s_-]?phrases? | seed
              | pass | keys? | codes?
            )",
        )
        .expect("secret-word pattern compiles")
    })
}

/// After a word, `:` or `=` with its spacing (a "loose" value follows).
fn loose_sep_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[ \t]*(?P<sep>[:=])(?P<space>\s*)").expect("compiles"))
}

/// After a word, `is`/`was`/`to`/`-`/`changed to`/…, optionally after a short
/// "for the Instagram account" (a "strict" value follows).
fn strict_sep_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^
            (?:\s+(?:for|on|of)\s+(?:[^\s:=]+\s+){0,3}?[^\s:=]+)?
            (?:
                \s*(?P<colon>[:=])\s*
              | \s+[-–—]\s+
              | \s+(?:(?:is|was|has\s+been|had\s+been|will\s+be)\s+)?(?:now\s+|temporarily\s+)?
                   (?:changed|set|reset|updated|rotated)\s+to\s+
              | \s+(?:is|was|are|were)(?:\s+now)?\s+
              | \s+now\s+
              | \s+to\s+
            )",
        )
        .expect("compiles")
    })
}

/// Family 1 and 2: a value after a secret word, or a secret-ish `key=value`.
fn value_after_word(text: &str) -> Option<&'static str> {
    for caps in word_re().captures_iter(text) {
        let m = caps.name("w").expect("group w");
        let Some(w) = word(m.as_str()) else { continue };
        let rest = &text[m.end()..];
        // `key=value`, `password:value`, `password: value`.
        if let Some(sep) = loose_sep_re().captures(rest) {
            let value = &rest[sep.get(0).expect("whole").end()..];
            if &sep["sep"] == "=" {
                if pair_value_is_secret(value) {
                    return Some(w.pair);
                }
            } else if w.role != Use::Pair {
                let spaced = !sep["space"].is_empty();
                if colon_value_is_secret(value, spaced, w.role == Use::Password) {
                    return Some(w.after);
                }
            }
            continue;
        }
        if matches!(w.role, Use::Pair | Use::Colon) {
            continue;
        }
        // "password for the account: …", "password is …", "PIN changed to …".
        if let Some(sep) = strict_sep_re().captures(rest) {
            let value = &rest[sep.get(0).expect("whole").end()..];
            let secret = if sep.name("colon").is_some() {
                colon_value_is_secret(value, true, w.role == Use::Password)
            } else {
                strict_value_is_secret(value)
            };
            if secret {
                return Some(w.after);
            }
        }
        // "PW Spring2026!": no separator, but a value no word looks like.
        if rest.starts_with(char::is_whitespace) && complex_value(trim_token(next_token(rest).0)) {
            return Some(w.after);
        }
    }
    None
}

/// "login dana / Whitaker1987!", "creds: svc_probation / BlueSky#44": a
/// user name and, after a slash, something credential-like.
fn user_and_password(text: &str) -> Option<&'static str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:log-?in|credentials?|creds|user(?:name)?|account)\s*:?\s+[^\s/]+\s*/\s*(?P<v>\S+)",
        )
        .expect("compiles")
    });
    re.captures_iter(text)
        .any(|c| credential_like(trim_token(&c["v"]), 6))
        .then_some("what looks like a user name and password")
}

/// Upper and lower case and a digit, 8+ characters, not an ordinary value:
/// what a password policy asks for, and what names and ids rarely are.
fn complex_value(v: &str) -> bool {
    v.chars().count() >= 8
        && v.chars().any(char::is_uppercase)
        && v.chars().any(char::is_lowercase)
        && v.chars().any(|c| c.is_ascii_digit())
        && !is_ordinary_value(v)
}

/// The next whitespace-delimited token of `s`, and what follows it.
fn next_token(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], &s[end..])
}

const OPEN_QUOTES: &[char] = &['"', '\'', '“', '‘', '«', '`'];

/// A quoted value at the start of `s`: its content, if the quote closes.
fn quoted(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let open = s.chars().next().filter(|c| OPEN_QUOTES.contains(c))?;
    let close = match open {
        '“' => '”',
        '‘' => '’',
        '«' => '»',
        c => c,
    };
    let body = &s[open.len_utf8()..];
    let end = body.find(close)?;
    Some(&body[..end])
}

/// Strip one trailing sentence mark (`.`, `,`, `;`, `:`, `!`, `?`) and any
/// closing brackets or quotes.
fn trim_token(token: &str) -> &str {
    let t = token.trim_end_matches([')', ']', '}', '"', '\'', '”', '’', '»', '`']);
    let t = t
        .strip_suffix(['.', ',', ';', ':', '!', '?'])
        .filter(|s| s.chars().last().is_some_and(|c| c.is_alphanumeric()))
        .unwrap_or(t);
    t.trim_start_matches(['(', '[', '{', '"', '\'', '“', '‘', '«', '`'])
}

/// Words that say something *about* a secret rather than being one, so that
/// "Password: reset." and "Token: expired" are ordinary.
const ABOUT_WORDS: &[&str] = &[
    "reset",
    "changed",
    "change",
    "updated",
    "update",
    "rotated",
    "rotation",
    "rotate",
    "expired",
    "expires",
    "expiry",
    "expiring",
    "compromised",
    "compromise",
    "leaked",
    "breach",
    "breached",
    "weak",
    "strong",
    "required",
    "requested",
    "pending",
    "done",
    "complete",
    "completed",
    "unknown",
    "unchanged",
    "same",
    "new",
    "old",
    "none",
    "revoked",
    "disabled",
    "enabled",
    "removed",
    "lost",
    "stolen",
    "forgotten",
    "locked",
    "unlocked",
    "shared",
    "exposed",
    "reused",
    "verified",
    "confirmed",
    "yes",
    "no",
    "ok",
    "okay",
    "default",
    "temporary",
    "tbd",
    "redacted",
    "hidden",
    "omitted",
    "withheld",
    "blank",
    "empty",
    "invalid",
    "valid",
    "issued",
    "replaced",
    "regenerated",
    "sent",
    "received",
    "needed",
    "missing",
    "affected",
    "n/a",
    "na",
];

/// A value that is not a secret however it is written: a placeholder
/// (`****`, `<redacted>`), a URL, an e-mail address, a date, a time, a phone
/// number, a ticket or employee id, a policy section, a length.
fn is_ordinary_value(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
                [a-z][a-z0-9+.-]*://\S*                      # URL
              | www\.\S+
              | [^@\s]+@[^@\s]+\.[a-z]{2,}                   # e-mail
              | \d{4}-\d{2}-\d{2}(?:[t\s]\d{1,2}:\d{2}(?::\d{2})?z?)?   # ISO date
              | \d{1,2}/\d{1,2}/\d{2,4}                       # US date
              | \d{1,2}:\d{2}(?::\d{2})?(?:am|pm)?            # time
              | (?:\+?1[-.\s]?)?\(?\d{3}\)?[-.\s]?\d{3}[-.]\d{4}   # phone
              | \d{3}-\d{4}
              | [a-z]{1,6}(?:-\d+)+                           # INC-2024-00123, CR-3
              | [a-z]\d{3,6}                                  # P1010
              | [ivx]+\.\d+(?:\.[a-z])?                       # V.7, V.6.c
              | v?\d+(?:\.\d+)+                               # 2.0, v1.2.3
              | \d+-?(?:char|character|digit|letter|day|hour|minute|month|week|year|word)s?
            )$",
        )
        .expect("compiles")
    });
    is_placeholder(v) || re.is_match(v)
}

/// `****`, `xxxx`, `…`, `<new password>`, `[redacted]`.
fn is_placeholder(v: &str) -> bool {
    v.starts_with(['<', '[', '{'])
        || v.chars().all(|c| "*xX•.…#?_-".contains(c))
        || ABOUT_WORDS.contains(&v.to_ascii_lowercase().as_str())
}

/// Looks like a credential: a digit, a symbol inside, or more than one
/// lower-to-upper switch (`hUnTer`; one, as in `YubiKey`, is a brand).
fn credential_like(v: &str, min_chars: usize) -> bool {
    if v.chars().count() < min_chars || is_ordinary_value(v) {
        return false;
    }
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let symbol = v
        .chars()
        .any(|c| !c.is_alphanumeric() && !matches!(c, '\'' | '’'));
    let chars: Vec<char> = v.chars().collect();
    let case_switches = chars
        .windows(2)
        .filter(|p| p[0].is_lowercase() && p[1].is_uppercase())
        .count();
    digit || symbol || case_switches >= 2
}

/// The value after `=`: any 3+ characters up to a space or `&`, unless a
/// placeholder or an ordinary value.
fn pair_value_is_secret(value: &str) -> bool {
    if let Some(q) = quoted(value) {
        return q.trim().chars().count() >= 3 && !is_ordinary_value(q.trim());
    }
    let (token, _) = next_token(value);
    let token = token.split(['&', ';', ',']).next().unwrap_or("");
    let token = trim_token(token);
    token.chars().count() >= 3 && !is_ordinary_value(token)
}

/// The value after `:`. Glued (`pwd:hunter2`): any 4+ characters. Spaced:
/// a credential-like 4+, a quoted value, or, after a password word, a lone
/// word ending the text or its sentence ("New password: sunshine") that is
/// not a word about the password; a word that starts more prose ("Reset the
/// password: vendor breach notice") is not a secret.
fn colon_value_is_secret(value: &str, spaced: bool, password: bool) -> bool {
    if let Some(q) = quoted(value) {
        let q = q.trim();
        return q.chars().count() >= 4 && !is_ordinary_value(q);
    }
    let (raw, after) = next_token(value);
    let token = trim_token(raw);
    if token.chars().count() < 4 || is_ordinary_value(token) {
        return false;
    }
    if !spaced || credential_like(token, 4) {
        return true;
    }
    let ends_sentence = after.trim().is_empty() || raw.ends_with(['.', ';', '!', '?']);
    password && ends_sentence && token.chars().all(char::is_alphabetic)
}

/// The value after `is`/`was`/`to`/`-`: quoted (4+), credential-like of 6+
/// characters, or 16+ letters run together ("The password is weak" is
/// ordinary).
fn strict_value_is_secret(value: &str) -> bool {
    if let Some(q) = quoted(value) {
        let q = q.trim();
        return q.chars().count() >= 4 && !is_ordinary_value(q);
    }
    let (raw, _) = next_token(value);
    let token = trim_token(raw);
    // A run-on of 16+ letters is a passphrase, not a word ("is weak").
    credential_like(token, 6)
        || (token.chars().count() >= 16 && token.chars().all(char::is_alphabetic))
}

// ---------------------------------------------------------------------------
// PINs and one-time codes
// ---------------------------------------------------------------------------

/// Family 3: "PIN 4821", "pin is 0000", "2FA code 482 913", "OTP 482913".
fn pin_or_code(text: &str) -> Option<&'static str> {
    static PIN: OnceLock<Regex> = OnceLock::new();
    static CODE: OnceLock<Regex> = OnceLock::new();
    let connector =
        r"(?:\s*(?:[:=#-]|is\s+now|is|was|now|(?:changed|set|reset|updated)\s+to|to)\s*|\s+)";
    let pin = PIN.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b(?:pin(?:\s*(?:number|code|no\.?|#))?|pass[\s-]?codes?){connector}(?P<v>\d{{4,8}})|\b(?:pass(?:word|wd)s?|pwd|pw){connector}(?P<w>\d{{6,8}})"
        ))
        .expect("compiles")
    });
    static PLAIN_CODE: OnceLock<Regex> = OnceLock::new();
    // "Your Instagram code is 448 210": a bare "code" only before `is`,
    // `was` or `:` and six digits, the shape of a texted one-time code.
    let plain_code = PLAIN_CODE.get_or_init(|| {
        Regex::new(r"(?i)\bcode\s*(?::|\s(?:is|was))\s*(?P<v>\d{6}|\d{3}\s\d{3})")
            .expect("compiles")
    });
    let code = CODE.get_or_init(|| {
        Regex::new(&format!(
            r"(?i)\b(?:(?:2fa|mfa|otp|totp|verification|security|one[\s-]?time|login|auth|sms|recovery|backup)[\s_-]?codes?|t?otp){connector}(?P<v>\d{{6,8}}|\d{{3,4}}[\s-]\d{{3,4}}|[a-z0-9]{{4,5}}-[a-z0-9]{{4,5}})"
        ))
        .expect("compiles")
    });
    let stands_alone = |rest: &str| {
        // Not the start of a longer number, date, time or id: "PIN 2026-03-02".
        let mut cs = rest.chars();
        match cs.next() {
            None => true,
            Some(c) if c.is_alphanumeric() || c == '_' => false,
            Some('-' | '/' | ':' | '.' | ',') => !cs.next().is_some_and(|c| c.is_ascii_digit()),
            Some(_) => true,
        }
    };
    for caps in pin.captures_iter(text) {
        let v = caps.name("v").or(caps.name("w")).expect("group v or w");
        if stands_alone(&text[v.end()..]) {
            return Some("what looks like a PIN");
        }
    }
    for caps in code
        .captures_iter(text)
        .chain(plain_code.captures_iter(text))
    {
        let v = caps.name("v").expect("group v");
        let digits = v.as_str().chars().filter(char::is_ascii_digit).count();
        if digits >= 2 && stands_alone(&text[v.end()..]) {
            return Some("what looks like a one-time or recovery code");
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Tokens: TOTP seeds, random strings, password-like strings
// ---------------------------------------------------------------------------

/// The text's whitespace-separated tokens, with surrounding punctuation and
/// quotes trimmed.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().map(|t| {
        t.trim_start_matches(['(', '[', '{', '"', '\'', '“', '‘', '«', '`', '<'])
            .trim_end_matches([
                ')', ']', '}', '"', '\'', '”', '’', '»', '`', '>', '.', ',', ';', ':', '!', '?',
            ])
    })
}

/// Shannon entropy of the characters of `s`, in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts: Vec<(char, usize)> = Vec::new();
    let mut n = 0usize;
    for c in s.chars() {
        n += 1;
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, k)) => *k += 1,
            None => counts.push((c, 1)),
        }
    }
    if n == 0 {
        return 0.0;
    }
    counts
        .iter()
        .map(|&(_, k)| {
            let p = k as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Upper,
    Lower,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_lowercase() {
        Class::Lower
    } else {
        Class::Other
    }
}

/// Switches between letters and digits, and from lower to upper case, per
/// character. Random strings switch at about 0.4; words, CamelCase names,
/// dates and file names rarely reach 0.15.
fn switch_rate(s: &str) -> f64 {
    let cs: Vec<Class> = s.chars().map(class).collect();
    if cs.is_empty() {
        return 0.0;
    }
    let switches = cs
        .windows(2)
        .filter(|p| {
            matches!(
                (p[0], p[1]),
                (Class::Lower, Class::Upper)
                    | (Class::Lower | Class::Upper, Class::Digit)
                    | (Class::Digit, Class::Lower | Class::Upper)
            )
        })
        .count();
    switches as f64 / cs.len() as f64
}

/// The longest run of lower-case consonants: English tops out at four or
/// five ("lengths"); random strings soon pass it.
fn consonant_run(s: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c.is_ascii_lowercase() && !"aeiouy".contains(c) {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn is_url_or_email(t: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(?:[a-z][a-z0-9+.-]*://|www\.|[^@\s/]+@[^@\s/]+\.[a-z]{2,}$)")
            .expect("compiles")
    });
    re.is_match(t)
}

/// Family 4: base32 of 16+ characters in one case with digits among the
/// letters ("JBSWY3DPEHPK3PXP"), whole or in groups of four ("jbsw y3dp ehpk 3pxp").
fn totp_seed(text: &str) -> Option<&'static str> {
    const WHY: &str = "what looks like a TOTP seed";
    let base32 = |s: &str| {
        let body = s.trim_end_matches('=');
        let upper = body
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c));
        let lower = body
            .chars()
            .all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c));
        upper || lower
    };
    // A digit with a letter on each side: "EHPK3PXP", not "REVIEW5".
    let digit_inside = |s: &str| {
        let cs: Vec<char> = s.chars().collect();
        cs.windows(3).any(|w| {
            w[0].is_ascii_alphabetic() && w[1].is_ascii_digit() && w[2].is_ascii_alphabetic()
        }) || cs.windows(4).any(|w| {
            w[0].is_ascii_alphabetic()
                && w[1].is_ascii_digit()
                && w[2].is_ascii_digit()
                && w[3].is_ascii_alphabetic()
        })
    };
    let toks: Vec<&str> = tokens(text).collect();
    for t in &toks {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        if t.trim_end_matches('=').len() >= 16
            && base32(t)
            && ((entropy(t) >= 3.0 && (digit_inside(t) || digits >= 2))
                || (t.len() >= 24 && entropy(t) >= 4.0))
        {
            return Some(WHY);
        }
    }
    // Groups of four, in one case, at least one mixing letters and digits.
    let group = |t: &str| t.len() == 4 && base32(t);
    let mut i = 0;
    while i < toks.len() {
        if !group(toks[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < toks.len() && group(toks[j]) {
            j += 1;
        }
        // Split the run where the case changes (an all-digit group fits either).
        let run = &toks[i..j];
        let mut start = 0;
        while start < run.len() {
            let mut case = None;
            let mut end = start;
            while end < run.len() {
                let c = run[end]
                    .chars()
                    .find(|c| c.is_ascii_alphabetic())
                    .map(|c| c.is_ascii_uppercase());
                match (case, c) {
                    (_, None) => {}
                    (None, Some(u)) => case = Some(u),
                    (Some(a), Some(b)) if a == b => {}
                    _ => break,
                }
                end += 1;
            }
            let part = &run[start..end];
            let joined: String = part.concat();
            let mixed = part.iter().any(|g| {
                g.chars().any(|c| c.is_ascii_digit()) && g.chars().any(|c| c.is_ascii_alphabetic())
            });
            if part.len() >= 4 && mixed && entropy(&joined) >= 3.0 {
                return Some(WHY);
            }
            start = end.max(start + 1);
        }
        i = j;
    }
    None
}

/// Families 5 and 6: long random-looking tokens, well-known API key
/// prefixes, and short password-like strings. URLs and e-mail addresses are
/// never tokens.
fn random_token(text: &str) -> Option<&'static str> {
    static HEX: OnceLock<Regex> = OnceLock::new();
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    let hex = HEX.get_or_init(|| Regex::new(r"^(?:0x)?[0-9a-fA-F]{32,}$").expect("compiles"));
    let prefix = PREFIX.get_or_init(|| {
        Regex::new(
            r"^(?:ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-|sk-|sk_live_|rk_live_|AKIA|ASIA|AIza|EAA[A-Za-z])[A-Za-z0-9_\-]{16,}$",
        )
        .expect("compiles")
    });
    for t in tokens(text) {
        if is_url_or_email(t) {
            continue;
        }
        let len = t.chars().count();
        let separators = t.chars().filter(|c| "-._:".contains(*c)).count();
        let letter = t.chars().any(|c| c.is_alphabetic());
        let digit = t.chars().any(|c| c.is_ascii_digit());
        if (hex.is_match(t) && letter && digit) || prefix.is_match(t) {
            return Some("a long random-looking token");
        }
        if len >= 20
            && letter
            && entropy(t) >= 3.5
            && (switch_rate(t) >= 0.2
                || consonant_run(t) >= 5
                || (len >= 24 && separators <= 2 && entropy(t) >= 4.3))
        {
            let upper = t.chars().any(char::is_uppercase);
            let lower = t.chars().any(char::is_lowercase);
            // Letters and digits, or base64 of 24+ in both cases.
            if digit || (len >= 24 && upper && lower) {
                return Some("a long random-looking token");
            }
        }
        if (8..20).contains(&len) && password_like(t) {
            return Some("a password-like string");
        }
    }
    None
}

/// Upper and lower case, a digit and a symbol that is not a separator:
/// "Tr0ub4dor&3", "Winter2024!x".
fn password_like(t: &str) -> bool {
    t.chars().any(|c| c.is_uppercase())
        && t.chars().any(|c| c.is_lowercase())
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().any(|c| "!@#$%^&*+=?~|<>{}[]\\".contains(c))
        && !is_ordinary_value(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flagged(text: &str) -> bool {
        looks_like_secret(text).is_some()
    }

    #[track_caller]
    fn all_flagged(texts: &[&str]) {
        for t in texts {
            assert!(flagged(t), "should be refused: {t:?}");
        }
    }

    #[track_caller]
    fn none_flagged(texts: &[&str]) {
        for t in texts {
            assert_eq!(looks_like_secret(t), None, "should be allowed: {t:?}");
        }
    }

    #[test]
    fn secret_word_with_colon_or_equals() {
        all_flagged(&[
            "password: hunter2",
            "Password:sunshine",
            "New password: sunshine",
            "PASSCODE: 8812aa",
            "pass code: 99ab12",
            "Temp pw: Welcome1",
            "api key: a8f3k2j9",
            "Access key: AKIAEXAMPLE1",
            "totp: 123456",
            "2FA code: 778812",
            "Recovery codes: 1a2b3-4c5d6",
            "backup code: 88a1-22bc",
            "seed: JBSWY3DPEHPK3PXP",
            "secret: \"correct horse battery staple\"",
            "Password for @ProbationDept: Winter2024!",
        ]);
        assert_eq!(
            looks_like_secret("password: hunter2"),
            Some("a value after \"password\"")
        );
        assert_eq!(
            looks_like_secret("pin: 0000"),
            Some("a value after \"PIN\"")
        );
    }

    #[test]
    fn secret_word_with_is_was_to() {
        all_flagged(&[
            "The password is Summer2024!",
            "old passcode was 482913",
            "Token is now ghp_abc123XYZ",
            "password changed to Tr0ub4dor",
            "Password has been reset to Welcome#1",
            "Password for the Instagram account is Probation2026",
            "The secret was \"bluebird\"",
            "password - Abc123!!",
            "pw is hUnTeR",
        ]);
        none_flagged(&[
            "The password is weak",
            "The password was changed to comply with V.7",
            "Password reset to meet the 16-character minimum",
            "Password changed to 16-character passphrase",
            "Hardware token moved to YubiKey 5C",
            "The token is valid until 2026-04-01",
            "Secret to success is planning",
            "Password is 12 characters long",
            "Recovery email changed to dana.whitaker@probation.example.gov",
            "The password was reset to 'default'",
        ]);
    }

    #[test]
    fn secret_word_then_value_without_separator() {
        all_flagged(&[
            "PW Spring2026! for the page",
            "new password Winter2024x",
            "Password is correcthorsebatterystaple for now",
            "The seed phrase is 'apple river stone cloud'",
            "pass: Orchard55",
        ]);
        none_flagged(&[
            "Password Q1-2026 rotation per V.7",
            "Password FY2025-26 rotation",
            "password change 2026",
            "Hall pass to the records room",
            "Seed the new shared calendar",
        ]);
    }

    #[test]
    fn user_name_and_password_pairs() {
        all_flagged(&[
            "Old login dana / Whitaker1987!",
            "Credentials: probation_svc / BlueSky#44",
        ]);
        assert_eq!(
            looks_like_secret("creds: svc / Blue#44x"),
            Some("what looks like a user name and password")
        );
        none_flagged(&[
            "Twitter/X handle changed to @CountyProbation2026",
            "Account moved from Dana / Marcus to P1001 / P1022",
            "login from Chrome / Windows",
        ]);
    }

    #[test]
    fn colon_before_prose_is_not_a_value() {
        none_flagged(&[
            "Reset the password: vendor breach notice received",
            "Password: reset.",
            "Token: expired",
            "Password: changed per V.7 after Dana left",
            "Password: <redacted>",
            "password: ****",
            "Last password change: 2026-03-02",
            "Hardware token: YubiKey 5C NFC issued to P1010",
            // A lone word counts only after a password word.
            "Token: hardware.",
            "Token: hardware (YubiKey), serial on file",
            "Password: Facebook, Instagram and X rotated",
        ]);
        all_flagged(&["New password: sunshine", "Password: sunshine. Dana set it."]);
    }

    #[test]
    fn key_value_pairs() {
        all_flagged(&[
            "pwd=hunter2",
            "pass=abc123",
            "pw=xyz",
            "password = sunshine",
            "token=abcd",
            "secret=s3cr3t",
            "key=AAAA1111",
            "pin=4821",
            "code=778812",
            "db_password=letmein",
            "x-api-key=f00ba4",
            "see https://example.com/reset?user=dana&token=8Fh2kQ",
        ]);
        assert_eq!(
            looks_like_secret("pwd=hunter2"),
            Some("a key=value pair (pwd=…)")
        );
        assert_eq!(
            looks_like_secret("DB_PASSWORD=letmein"),
            Some("a key=value pair (password=…)")
        );
        none_flagged(&[
            "pwd=****",
            "password=<new password>",
            "monkey=banana",
            "zipcode=90210",
            "https://help.instagram.com/answer?id=123456",
        ]);
    }

    #[test]
    fn pins_and_codes() {
        all_flagged(&[
            "PIN 4821",
            "pin is 0000",
            "voicemail PIN now 998877",
            "PIN #12345678",
            "2FA code 482913",
            "OTP 482913 read out over the phone",
            "verification code 482 913",
            "recovery code 8J3K-P2MX",
            "Your Instagram code is 448 210",
            "new passcode 774411",
            "password 20261111",
        ]);
        assert_eq!(looks_like_secret("PIN 4821"), Some("what looks like a PIN"));
        none_flagged(&[
            "PIN reset on 2026-03-02",
            "PIN changed in 2026-03",
            "Pin the post to the top of the page",
            "PIN 123",
            "Backup codes regenerated 2026-03-02",
            "OTP app moved to the new phone",
            "Passcode changed to 6 digits",
            "password 2026 rotation",
            "recovery code sent-home",
            "Code review found nothing",
            "Zip code is 90210",
        ]);
    }

    #[test]
    fn totp_seeds() {
        all_flagged(&[
            "JBSWY3DPEHPK3PXP",
            "new seed jbsw y3dp ehpk 3pxp",
            "Authenticator setup key JBSW Y3DP EHPK 3PXP FOO2 ABCD",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        ]);
        assert_eq!(
            looks_like_secret("new seed jbsw y3dp ehpk 3pxp"),
            Some("what looks like a TOTP seed")
        );
        none_flagged(&[
            "SUPERVISORREVIEW5",
            "this that with from past once",
            "SOCIALMEDIAPOLICY",
            "Rotate the recovery codes per V.7",
        ]);
    }

    #[test]
    fn long_random_tokens() {
        all_flagged(&[
            "token ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "5f4dcc3b5aa765d61d8327deb882cf99",
            "hash 5F4DCC3B5AA765D61D8327DEB882CF99 leaked",
            "dGhpcyBpcyBhIHNlY3JldA==",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0",
            "AKIAIOSFODNN7EXAMPLE",
            "use Xk9mQ2vL8nR4tW7zP3sY5 for now",
        ]);
        assert_eq!(
            looks_like_secret("5f4dcc3b5aa765d61d8327deb882cf99"),
            Some("a long random-looking token")
        );
        none_flagged(&[
            "https://help.instagram.com/123456789012345",
            "https://www.facebook.com/help/contact/5f4dcc3b5aa765d61d8327deb882cf99",
            "dana.whitaker@probation.county.example.gov",
            "socialdesk-backup-2026-03-02T14-30-00.tar.gz",
            "#ProbationOfficersWeek2026",
            "REQ0012345678901234567",
            "internationalization",
            "Change requested in ticket INC-2024-00123",
        ]);
    }

    /// How many of 1000 random strings of `len` characters from `alphabet`
    /// are caught (a fixed LCG, so the test is repeatable).
    fn caught_of_1000(alphabet: &str, len: usize) -> usize {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        (0..1000)
            .filter(|_| {
                let s: String = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        alphabet[(x >> 33) as usize % alphabet.len()]
                    })
                    .collect();
                flagged(&s)
            })
            .count()
    }

    #[test]
    fn random_strings_are_almost_always_caught() {
        const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        // At 24 characters a few in 1000 have too few switches between
        // letters, digits and cases, and too few distinct characters, to
        // tell from a CamelCase name.
        assert!(caught_of_1000(B64, 24) >= 990);
        assert_eq!(caught_of_1000(B64, 40), 1000);
        assert_eq!(caught_of_1000(ALNUM, 32), 1000);
        assert_eq!(caught_of_1000("0123456789abcdef", 32), 1000);
        // A 16-character seed has no digit 1 time in 28; real seeds are
        // mostly 32 characters.
        assert!(caught_of_1000("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) >= 940);
        assert_eq!(caught_of_1000("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32), 1000);
    }

    #[test]
    fn password_like_strings() {
        all_flagged(&["Tr0ub4dor&3", "left it as Winter2024!x on the sticky note"]);
        none_flagged(&["Dana's P1010", "Q3/Q4-2026", "AT&T"]);
    }

    #[test]
    fn ordinary_reasons() {
        none_flagged(&[
            "Quarterly password rotation",
            "Password change after Dana Whitaker left the team",
            "Reset the password: vendor breach notice received",
            "MFA device replaced after phone was lost",
            "The password is weak",
            "Rotate the recovery codes per V.7",
            "Suspected phishing email targeting the account on 2026-03-02",
            "Admin role moved to Marcus Bell",
            "Username changed to SVCProbation to match branding",
            "Change requested in ticket INC-2024-00123",
            "See https://help.instagram.com/123456789012345",
            "Case number CR-2023-1234",
            "Requested by P1010",
            "Called Dana at 555-0110 at 14:30 on 03/02/2026",
            "Notified the Chief Deputy by phone, (555) 555-0110",
            "",
        ]);
    }

    #[test]
    fn refusal_names_the_field_and_never_the_secret() {
        let cases = [
            ("reason", "password: hunter2", "hunter2"),
            ("note", "pwd=Zq81kd", "Zq81kd"),
            ("description", "PIN 4821", "4821"),
            ("reason", "seed jbsw y3dp ehpk 3pxp", "y3dp"),
            ("reason", "5f4dcc3b5aa765d61d8327deb882cf99", "5f4dcc3b"),
        ];
        for (field, text, secret) in cases {
            let Err(Error::Invalid(msg)) = refuse_secret(field, text) else {
                panic!("{text:?} should be refused as invalid input");
            };
            assert!(
                msg.starts_with(&format!("the {field} looks like it holds a secret (")),
                "{msg}"
            );
            assert!(msg.contains("secrets are never stored"), "{msg}");
            assert!(!msg.contains(secret), "{msg} repeats the secret");
        }
        assert_eq!(
            refuse_secret("reason", "password: hunter2")
                .unwrap_err()
                .to_string(),
            "the reason looks like it holds a secret (a value after \"password\"); \
             secrets are never stored: describe the change without it"
        );
        assert!(refuse_secret("reason", "Quarterly password rotation").is_ok());
    }

    #[test]
    fn no_reason_repeats_input() {
        // Every reason is a fixed string: none can carry the text back.
        for w in WORDS {
            for why in [w.after, w.pair] {
                assert!(why.starts_with("a "), "{why}");
            }
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = looks_like_secret(&s);
            let _ = refuse_secret("reason", &s);
        }

        #[test]
        fn never_panics_near_secret_words(
            s in "(password|pin|pwd|token|seed|otp|2fa code|[a-zA-Z0-9 :=\"'“”.,!-]){0,20}"
        ) {
            let _ = looks_like_secret(&s);
        }

        #[test]
        fn plain_prose_is_never_flagged(s in "[a-z]{1,8}( [a-z]{1,8}){0,10}") {
            prop_assert_eq!(looks_like_secret(&s), None);
        }

        #[test]
        fn prose_with_secret_words_is_never_flagged(
            s in "([A-Z]?[a-z]{1,8}|password|passwords|pin|token|secret|seed|code|recovery codes|is|was|to|now)( ([A-Z]?[a-z]{1,8}|password|pin|token|secret|is|was|to|now)[,.]?){0,10}"
        ) {
            prop_assert_eq!(looks_like_secret(&s), None);
        }
    }
}
