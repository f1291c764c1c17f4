//! Policy screening of a draft revision (SPEC §3.2; POLICY V.4, V.6).
//!
//! The lexicons and patterns live in `assets/policy.toml`, compiled in and
//! replaceable by a `policy.toml` in the config folder, so the Department can
//! tune them without a new build; every decision records which rules were in
//! force ([`PolicyVersion`]). Screening helps a supervisor's judgement and is
//! never a silent gate: it only reports. [`screen`] is pure; only
//! [`Rules::load`] touches the file system.

use std::fmt::Display;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::error::Error;

const BUILTIN: &str = include_str!("../../assets/policy.toml");
const FILE_NAME: &str = "policy.toml";

/// How a finding gates approval (SPEC §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// V.6.c guilt / pending cases, V.6.d: an approver dismisses it with a reason first.
    Blocking,
    /// V.6.c confidential information: needs an express approval; never dismissed.
    Express,
    /// V.6.b, V.6.e: shown and kept, does not gate approval.
    Advisory,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Express => "express",
            Severity::Advisory => "advisory",
        }
    }
}

/// One thing screening noticed in a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The policy clause, e.g. "V.6.c".
    pub clause: String,
    pub severity: Severity,
    /// Byte offsets into the screened text (end exclusive), on char
    /// boundaries; 0..0 for a finding about media or the profile.
    pub start: usize,
    pub end: usize,
    /// The matched text, or the media path, or "profile".
    pub matched: String,
    /// The rule's id in policy.toml.
    pub rule: String,
    /// Why this matters, for a supervisor, citing the clause.
    pub explanation: String,
}

/// A media item attached to the revision being screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Media<'a> {
    pub path: &'a str,
    /// Shows Department training, activities or work assignments (V.6.c).
    pub depicts_operations: bool,
}

/// Which rules a decision was made under (SPEC §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVersion {
    /// The policy's effective date from policy.toml, `YYYY-MM-DD`.
    pub effective: String,
    /// Lowercase hex SHA-256 of the policy.toml text in force.
    pub rules_sha256: String,
}

/// The screening rules, compiled once.
#[derive(Debug, Clone)]
pub struct Rules {
    version: PolicyVersion,
    purposes: Vec<String>,
    platforms: Vec<String>,
    /// Compiled on first use for the built-in rules (a decision needs only
    /// the version; compiling every pattern costs more than the rest of a
    /// command), at once for an override so that its errors show on load.
    matchers: Arc<OnceLock<Matchers>>,
}

#[derive(Debug)]
struct Matchers {
    text_rules: Vec<TextRule>,
    operations: Verdict,
    attribution: Verdict,
    credit: Vec<Regex>,
    identification: Verdict,
    identifies: Regex,
}

impl Rules {
    /// The rules compiled into the program from `assets/policy.toml`.
    pub fn builtin() -> Rules {
        static BUILT: OnceLock<Rules> = OnceLock::new();
        BUILT
            .get_or_init(|| {
                let file: PolicyFile = toml::from_str(BUILTIN)
                    .expect("assets/policy.toml parses (checked by a unit test)");
                Rules {
                    version: PolicyVersion {
                        effective: file.policy.effective.get_ref().clone(),
                        rules_sha256: hex::encode(Sha256::digest(BUILTIN.as_bytes())),
                    },
                    purposes: file.policy.purposes.get_ref().clone(),
                    platforms: file.policy.platforms.get_ref().clone(),
                    matchers: Arc::new(OnceLock::new()),
                }
            })
            .clone()
    }

    /// The compiled patterns; the built-in ones are compiled on first use.
    fn matchers(&self) -> &Matchers {
        self.matchers.get_or_init(|| {
            let compiled = parse_named(BUILTIN, FILE_NAME)
                .expect("assets/policy.toml compiles (checked by a unit test)");
            Arc::try_unwrap(compiled.matchers)
                .ok()
                .and_then(OnceLock::into_inner)
                .expect("freshly compiled rules")
        })
    }

    /// Compiles rules from the text of a policy.toml. A malformed file is
    /// `Error::Invalid` naming the line ("policy.toml line 12: …").
    pub fn parse(text: &str) -> Result<Rules, Error> {
        parse_named(text, FILE_NAME)
    }

    /// The override `policy.toml` in `config_dir` if present, else builtin.
    pub fn load(config_dir: Option<&Path>) -> Result<Rules, Error> {
        let Some(dir) = config_dir else {
            return Ok(Rules::builtin());
        };
        let path = dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_named(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Rules::builtin()),
            Err(e) => Err(Error::invalid(format!("{}: {e}", path.display()))),
        }
    }

    pub fn version(&self) -> PolicyVersion {
        self.version.clone()
    }

    /// V.3: what posts may be for.
    pub fn purposes(&self) -> &[String] {
        &self.purposes
    }

    /// The platforms an account may be on.
    pub fn platforms(&self) -> &[String] {
        &self.platforms
    }
}

/// Every finding for one revision, ordered by start offset then clause.
pub fn screen(
    rules: &Rules,
    text: &str,
    media: &[Media],
    account_profile: Option<&str>,
) -> Vec<Finding> {
    let sentences = Sentences::new(text);
    let rules = rules.matchers();
    let mut findings = Vec::new();
    for rule in &rules.text_rules {
        rule.find(text, &sentences, &mut findings);
    }
    // V.6.c: operations media needs express approval, one finding per item.
    for item in media.iter().filter(|m| m.depicts_operations) {
        findings.push(rules.operations.about(item.path));
    }
    // V.6.e: a credit line anywhere in the text covers the post's media.
    if !media.is_empty() && !rules.credit.iter().any(|c| c.is_match(text)) {
        for item in media {
            findings.push(rules.attribution.about(item.path));
        }
    }
    // V.6.b: checked only when the account has a profile text.
    if let Some(profile) = account_profile {
        if !rules.identifies.is_match(profile) {
            findings.push(rules.identification.about("profile"));
        }
    }
    // Stable: ties keep the order of the rules in policy.toml.
    findings.sort_by(|a, b| (a.start, &a.clause, a.end).cmp(&(b.start, &b.clause, b.end)));
    findings
}

/// What a rule says when it fires.
#[derive(Debug, Clone)]
struct Verdict {
    id: String,
    clause: String,
    severity: Severity,
    explanation: String,
}

impl Verdict {
    fn at(&self, span: Range<usize>, matched: &str) -> Finding {
        Finding {
            clause: self.clause.clone(),
            severity: self.severity,
            start: span.start,
            end: span.end,
            matched: matched.to_string(),
            rule: self.id.clone(),
            explanation: self.explanation.clone(),
        }
    }

    fn about(&self, what: &str) -> Finding {
        self.at(0..0, what)
    }
}

/// A `[[rule]]` over the text.
#[derive(Debug, Clone)]
struct TextRule {
    verdict: Verdict,
    matchers: Vec<Regex>,
    near: Option<Regex>,
    unless: Option<Regex>,
    except: Option<Regex>,
}

impl TextRule {
    fn find(&self, text: &str, sentences: &Sentences, out: &mut Vec<Finding>) {
        let mut hits: Vec<Range<usize>> = self
            .matchers
            .iter()
            .flat_map(|m| m.find_iter(text).map(|h| h.range()))
            .filter(|h| !h.is_empty())
            .collect();
        // Overlapping hits of one rule are one finding: the earliest, longest.
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        // Context phrases are found once over the whole text, so checking a
        // hit costs a binary search, however long the text.
        let near = self.near.as_ref().map(|r| ranges(r, text));
        let unless = self.unless.as_ref().map(|r| ranges(r, text));
        let mut last_end = 0;
        for hit in hits {
            if hit.start < last_end {
                continue;
            }
            if let Some(except) = &self.except {
                if except.is_match(&text[hit.clone()]) {
                    continue;
                }
            }
            let sentence = sentences.around(&hit);
            if let Some(near) = &near {
                if !near_in(near, &sentence, &hit) {
                    continue;
                }
            }
            if let Some(unless) = &unless {
                if any_in(unless, &sentence) {
                    continue;
                }
            }
            last_end = hit.end;
            out.push(self.verdict.at(hit.clone(), &text[hit]));
        }
    }
}

fn ranges(re: &Regex, text: &str) -> Vec<Range<usize>> {
    re.find_iter(text).map(|m| m.range()).collect()
}

/// Some context match starts within the sentence.
fn any_in(found: &[Range<usize>], sentence: &Range<usize>) -> bool {
    let i = found.partition_point(|r| r.start < sentence.start);
    found.get(i).is_some_and(|r| r.start < sentence.end)
}

/// Some context match within the sentence, apart from the hit itself.
fn near_in(found: &[Range<usize>], sentence: &Range<usize>, hit: &Range<usize>) -> bool {
    let i = found.partition_point(|r| r.start < sentence.start);
    found[i..]
        .iter()
        .take_while(|r| r.start < sentence.end)
        .any(|r| r.end <= hit.start || r.start >= hit.end)
}

/// Where sentences start, for `near` and `unless`. A sentence ends at a line
/// break, `!`, `?`, a bullet, or a `.` followed by a space that does not close
/// an abbreviation ("W. Main St.", "Case No. 12").
struct Sentences {
    starts: Vec<usize>,
    len: usize,
}

impl Sentences {
    fn new(text: &str) -> Sentences {
        let mut starts = vec![0];
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let boundary = match c {
                '\n' | '!' | '?' | '•' | '|' => true,
                '.' => {
                    chars.peek().is_none_or(|&(_, next)| next.is_whitespace())
                        && !closes_abbreviation(&text[..i])
                }
                _ => false,
            };
            let next = i + c.len_utf8();
            if boundary && next < text.len() {
                starts.push(next);
            }
        }
        Sentences {
            starts,
            len: text.len(),
        }
    }

    /// The sentence(s) holding `hit`.
    fn around(&self, hit: &Range<usize>) -> Range<usize> {
        let i = self.starts.partition_point(|&s| s <= hit.start);
        let start = self.starts[i.saturating_sub(1)];
        let j = self.starts.partition_point(|&s| s < hit.end);
        let end = self.starts.get(j).copied().unwrap_or(self.len);
        start..end
    }
}

/// `before` ends with a short capitalized word such as "St", "No", "W".
fn closes_abbreviation(before: &str) -> bool {
    // Five letters are enough to tell: longer words are not abbreviations.
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .take(5)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let short = (1..=3).contains(&word.chars().count());
    let capital = word.chars().next().is_some_and(char::is_uppercase);
    (short && capital) || matches!(word.as_str(), "Dept" | "Blvd" | "Pkwy" | "Prop" | "Corp")
}

// ---------------------------------------------------------------------------
// policy.toml: its shape, and compiling it.
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    policy: PolicySection,
    #[serde(default)]
    rule: Vec<RuleDef>,
    operations_media: VerdictDef,
    attribution: AttributionDef,
    identification: IdentificationDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySection {
    effective: Spanned<String>,
    purposes: Spanned<Vec<String>>,
    platforms: Spanned<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictDef {
    id: Spanned<String>,
    clause: Spanned<String>,
    severity: Severity,
    explanation: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: Spanned<String>,
    clause: Spanned<String>,
    severity: Severity,
    explanation: Spanned<String>,
    #[serde(default)]
    words: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    near: Vec<Spanned<String>>,
    #[serde(default)]
    unless: Vec<Spanned<String>>,
    #[serde(default)]
    except: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionDef {
    id: Spanned<String>,
    clause: Spanned<String>,
    severity: Severity,
    explanation: Spanned<String>,
    #[serde(default)]
    credit_words: Vec<Spanned<String>>,
    #[serde(default)]
    credit_patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentificationDef {
    id: Spanned<String>,
    clause: Spanned<String>,
    severity: Severity,
    explanation: Spanned<String>,
    identifies: Vec<Spanned<String>>,
}

/// The file being compiled, for messages that name its lines.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, offset: usize) -> usize {
        let upto = offset.min(self.text.len());
        1 + self.text.as_bytes()[..upto]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn error(&self, span: Range<usize>, message: impl Display) -> Error {
        Error::invalid(format!(
            "{} line {}: {message}",
            self.name,
            self.line(span.start)
        ))
    }
}

fn parse_named(text: &str, name: &str) -> Result<Rules, Error> {
    let src = Source { name, text };
    let file: PolicyFile = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => src.error(span, e.message().trim()),
        None => Error::invalid(format!("{name}: {}", e.message().trim())),
    })?;

    let effective = &file.policy.effective;
    if chrono::NaiveDate::parse_from_str(effective.get_ref(), "%Y-%m-%d").is_err() {
        return Err(src.error(
            effective.span(),
            format!(
                "effective must be a date YYYY-MM-DD, not {:?}",
                effective.get_ref()
            ),
        ));
    }
    let purposes = name_list(&src, "purposes", &file.policy.purposes)?;
    let platforms = name_list(&src, "platforms", &file.policy.platforms)?;

    let mut ids: Vec<String> = Vec::new();
    let mut verdict = |id: &Spanned<String>,
                       clause: &Spanned<String>,
                       severity: Severity,
                       explanation: &Spanned<String>|
     -> Result<Verdict, Error> {
        let v = compile_verdict(&src, id, clause, severity, explanation)?;
        if ids.contains(&v.id) {
            return Err(src.error(id.span(), format!("rule id `{}` is used twice", v.id)));
        }
        ids.push(v.id.clone());
        Ok(v)
    };

    let mut text_rules = Vec::with_capacity(file.rule.len());
    for def in &file.rule {
        let verdict = verdict(&def.id, &def.clause, def.severity, &def.explanation)?;
        let rule = &verdict.id;
        if def.words.is_empty() && def.patterns.is_empty() {
            return Err(src.error(
                def.id.span(),
                format!("rule `{rule}` has neither words nor patterns"),
            ));
        }
        let mut matchers = Vec::new();
        if let Some(words) = phrases(&src, rule, "words", &def.words)? {
            matchers.push(words);
        }
        for p in &def.patterns {
            matchers.push(pattern(&src, rule, p)?);
        }
        text_rules.push(TextRule {
            near: phrases(&src, rule, "near", &def.near)?,
            unless: phrases(&src, rule, "unless", &def.unless)?,
            except: phrases(&src, rule, "except", &def.except)?,
            verdict,
            matchers,
        });
    }

    let o = &file.operations_media;
    let operations = verdict(&o.id, &o.clause, o.severity, &o.explanation)?;

    let a = &file.attribution;
    let attribution = verdict(&a.id, &a.clause, a.severity, &a.explanation)?;
    let mut credit = Vec::new();
    if let Some(words) = phrases(&src, &attribution.id, "credit_words", &a.credit_words)? {
        credit.push(words);
    }
    for p in &a.credit_patterns {
        credit.push(pattern(&src, &attribution.id, p)?);
    }

    let i = &file.identification;
    let identification = verdict(&i.id, &i.clause, i.severity, &i.explanation)?;
    let identifies =
        phrases(&src, &identification.id, "identifies", &i.identifies)?.ok_or_else(|| {
            src.error(
                i.id.span(),
                "identification needs at least one word in `identifies`",
            )
        })?;

    Ok(Rules {
        version: PolicyVersion {
            effective: effective.get_ref().clone(),
            rules_sha256: hex::encode(Sha256::digest(text.as_bytes())),
        },
        purposes,
        platforms,
        matchers: Arc::new(OnceLock::from(Matchers {
            text_rules,
            operations,
            attribution,
            credit,
            identification,
            identifies,
        })),
    })
}

fn compile_verdict(
    src: &Source,
    id: &Spanned<String>,
    clause: &Spanned<String>,
    severity: Severity,
    explanation: &Spanned<String>,
) -> Result<Verdict, Error> {
    let name = id.get_ref().trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        return Err(src.error(id.span(), "a rule id must be one word, e.g. \"guilt\""));
    }
    let c = clause.get_ref();
    let clause_ok = c.starts_with("V.")
        && !c.ends_with('.')
        && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '.');
    if !clause_ok {
        return Err(src.error(
            clause.span(),
            format!("rule `{name}`: clause must look like \"V.6.c\", not {c:?}"),
        ));
    }
    if explanation.get_ref().trim().is_empty() {
        return Err(src.error(
            explanation.span(),
            format!("rule `{name}`: the explanation is empty"),
        ));
    }
    Ok(Verdict {
        id: name.to_string(),
        clause: c.clone(),
        severity,
        explanation: explanation.get_ref().trim().to_string(),
    })
}

fn name_list(src: &Source, field: &str, list: &Spanned<Vec<String>>) -> Result<Vec<String>, Error> {
    let names = list.get_ref();
    if names.is_empty() {
        return Err(src.error(list.span(), format!("{field} is empty")));
    }
    for (n, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(src.error(list.span(), format!("{field} has an empty name")));
        }
        if names[..n].contains(name) {
            return Err(src.error(list.span(), format!("{field} lists {name:?} twice")));
        }
    }
    Ok(names.clone())
}

/// One case-insensitive regex finding any of the phrases, longest first.
fn phrases(
    src: &Source,
    rule: &str,
    field: &str,
    list: &[Spanned<String>],
) -> Result<Option<Regex>, Error> {
    if list.is_empty() {
        return Ok(None);
    }
    let mut alternatives = Vec::with_capacity(list.len());
    for p in list {
        let phrase = p.get_ref().trim();
        if phrase.is_empty() {
            return Err(src.error(p.span(), format!("rule `{rule}`: empty phrase in {field}")));
        }
        alternatives.push((phrase.chars().count(), phrase_regex(phrase)));
    }
    alternatives.sort_by_key(|a| std::cmp::Reverse(a.0));
    let joined: Vec<String> = alternatives.into_iter().map(|(_, re)| re).collect();
    let source = format!("(?:{})", joined.join("|"));
    RegexBuilder::new(&source)
        .case_insensitive(true)
        .build()
        .map(Some)
        .map_err(|e| {
            let span = list[0].span();
            src.error(
                span,
                format!("rule `{rule}`: {field}: {}", regex_message(&e)),
            )
        })
}

/// A phrase as a regex: word boundaries where the phrase starts or ends with a
/// letter or digit, any whitespace for a space, either apostrophe, and an
/// optional hyphen ("re-elect" = "reelect" = "re elect").
fn phrase_regex(phrase: &str) -> String {
    // Boundaries are ASCII (see `ascii_boundaries`), so only an ASCII letter
    // or digit at the edge gets one.
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::new();
    if phrase.chars().next().is_some_and(is_word) {
        out.push_str(ASCII_BOUNDARY);
    }
    let mut in_space = false;
    for c in phrase.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push_str(r"\s+");
            }
            in_space = true;
            continue;
        }
        in_space = false;
        match c {
            '\'' | '’' => out.push_str("['’]"),
            '-' => out.push_str(r"[-‐‑\s]?"),
            _ => out.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    if phrase.chars().last().is_some_and(is_word) {
        out.push_str(ASCII_BOUNDARY);
    }
    out
}

const ASCII_BOUNDARY: &str = r"(?-u:\b)";

/// `\b` and `\B` as ASCII word boundaries. A Unicode word boundary makes the
/// regex crate leave its fast DFA on any non-ASCII text: a 1 MB post of
/// accented words took over a second to screen. Posts' risky words are
/// English, and an accented letter next to one only loses a boundary.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(ASCII_BOUNDARY),
            Some('B') => out.push_str(r"(?-u:\B)"),
            Some(next) => {
                out.push(c);
                out.push(next);
            }
            None => out.push(c),
        }
    }
    out
}

fn pattern(src: &Source, rule: &str, p: &Spanned<String>) -> Result<Regex, Error> {
    let re = RegexBuilder::new(&ascii_boundaries(p.get_ref()))
        .case_insensitive(true)
        .build()
        .map_err(|e| {
            src.error(
                p.span(),
                format!("rule `{rule}`: bad pattern: {}", regex_message(&e)),
            )
        })?;
    if re.is_match("") {
        return Err(src.error(
            p.span(),
            format!("rule `{rule}`: pattern matches the empty string"),
        ));
    }
    Ok(re)
}

/// The one-line reason from a regex error (its Display draws a caret diagram).
fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("error:"))
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn labels(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .map(|f| format!("{}:{}:{}", f.clause, f.severity.as_str(), f.rule))
            .collect()
    }

    fn text_only(text: &str) -> Vec<Finding> {
        screen(&Rules::builtin(), text, &[], None)
    }

    /// The builtin file with `extra` appended as one more rule.
    fn with_rule(extra: &str) -> String {
        format!("{BUILTIN}\n{extra}")
    }

    #[test]
    fn builtin_parses_and_names_its_version() {
        let rules = Rules::parse(BUILTIN).expect("builtin policy.toml");
        let v = rules.version();
        assert_eq!(v.effective, "2023-01-24");
        assert_eq!(v.rules_sha256, hex::encode(Sha256::digest(BUILTIN)));
        assert_eq!(v.rules_sha256.len(), 64);
        assert_eq!(
            rules.purposes(),
            [
                "mission",
                "achievement",
                "recruitment",
                "outreach",
                "recognition",
                "statewide"
            ]
        );
        assert_eq!(
            rules.platforms(),
            [
                "twitter",
                "instagram",
                "facebook",
                "tiktok",
                "youtube",
                "linkedin",
                "nextdoor",
                "other"
            ]
        );
        assert_eq!(Rules::builtin().version(), v);
    }

    #[test]
    fn severity_names() {
        assert_eq!(Severity::Blocking.as_str(), "blocking");
        assert_eq!(Severity::Express.as_str(), "express");
        assert_eq!(Severity::Advisory.as_str(), "advisory");
        assert_eq!(
            serde_json::to_string(&Severity::Express).unwrap(),
            "\"express\""
        );
    }

    #[test]
    fn spans_point_at_the_matched_text_after_non_ascii() {
        let text = "Café ☕ — Ünïcödé 👮🏽‍♀️: the defendant, probationer José Núñez… no, \
                    probationer Maria Lopez was found guilty; DOB 4/12/1990, call 555-201-3344. \
                    «Vote for Measure B» ™";
        let findings = text_only(text);
        assert!(findings.len() >= 6, "{findings:#?}");
        for f in &findings {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            assert_eq!(&text[f.start..f.end], f.matched, "{f:?}");
        }
        let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        for r in [
            "guilt",
            "client_named",
            "date_of_birth",
            "phone_number",
            "political",
            "trademark",
        ] {
            assert!(rules.contains(&r), "{r} missing from {rules:?}");
        }
        let guilty = findings
            .iter()
            .find(|f| f.matched == "found guilty")
            .unwrap();
        assert_eq!(guilty.severity, Severity::Blocking);
        assert_eq!(guilty.clause, "V.6.c");
        assert!(guilty.explanation.starts_with("V.6.c"));
    }

    #[test]
    fn findings_are_ordered_by_start_then_clause() {
        let text = "Vote for Smith. He was arraigned on case #2024-000123 and pleaded guilty.";
        let media = [Media {
            path: "court.jpg",
            depicts_operations: true,
        }];
        let findings = screen(&Rules::builtin(), text, &media, Some("Just a page"));
        let keys: Vec<(usize, &str)> = findings
            .iter()
            .map(|f| (f.start, f.clause.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        // Media and profile findings sit at 0..0 and come first by clause.
        assert_eq!(
            labels(&findings[..3]),
            [
                "V.6.b:advisory:identification",
                "V.6.c:express:operations_media",
                "V.6.d:blocking:political"
            ]
        );
        assert_eq!(findings[1].matched, "court.jpg");
        assert_eq!((findings[1].start, findings[1].end), (0, 0));
        assert_eq!(findings[0].matched, "profile");
    }

    #[test]
    fn word_boundaries_and_near_misses() {
        assert!(text_only("Finish this sentence: probation works.").is_empty());
        assert_eq!(
            labels(&text_only("He faces a sentencing hearing in May.")),
            ["V.6.c:blocking:pending_case"]
        );
        assert!(text_only("Our officers are charged with protecting the public.").is_empty());
        assert!(text_only("Join our recruitment campaign for new candidates!").is_empty());
        assert!(text_only("Elections for the employee association board close Friday.").is_empty());
        assert!(text_only("Apply today, link in bio.").is_empty());
        assert_eq!(
            labels(&text_only("Campaign season: vote for Sheriff Lee!")),
            [
                "V.6.d:blocking:political_context",
                "V.6.d:blocking:political"
            ]
        );
    }

    #[test]
    fn unless_and_near_look_only_at_the_same_sentence() {
        // "people on probation" excuses its own sentence, not the next one.
        let text = "We help people on probation find work. She is on probation now.";
        let f = text_only(text);
        assert_eq!(labels(&f), ["V.6.c:express:supervision_status"]);
        assert_eq!(&text[f[0].start..f[0].end], "on probation");
        assert!(f[0].start > text.find("She").unwrap());
        // Without a particular person nearby, "on probation" is outreach.
        assert!(text_only("Resources for anyone on probation are online.").is_empty());
        // An abbreviation does not end the sentence: the event excuses the address.
        assert!(text_only("Join us at 455 W. Main St. on Saturday.").is_empty());
        assert_eq!(
            labels(&text_only("He lives at 455 W. Main St. in town.")),
            ["V.6.c:express:street_address"]
        );
    }

    #[test]
    fn media_attribution_and_profile() {
        let rules = Rules::builtin();
        let media = [
            Media {
                path: "a.jpg",
                depicts_operations: false,
            },
            Media {
                path: "b.mp4",
                depicts_operations: true,
            },
        ];
        let no_credit = screen(&rules, "Great day!", &media, None);
        assert_eq!(
            labels(&no_credit),
            [
                "V.6.c:express:operations_media",
                "V.6.e:advisory:attribution",
                "V.6.e:advisory:attribution"
            ]
        );
        let credited = screen(&rules, "Great day! Photo: County Probation", &media, None);
        assert_eq!(labels(&credited), ["V.6.c:express:operations_media"]);
        let via = screen(&rules, "Great day via @CPOC", &media[..1], None);
        assert!(via.is_empty());
        assert!(screen(&rules, "Hi", &[], Some("Official County Probation account")).is_empty());
        assert!(screen(&rules, "Hi", &[], None).is_empty());
        assert_eq!(
            labels(&screen(
                &rules,
                "Hi",
                &[],
                Some("Serving the county since 1903")
            )),
            ["V.6.b:advisory:identification"]
        );
    }

    #[test]
    fn override_file_is_used_when_present() {
        let dir = tempfile::tempdir().unwrap();
        let builtin = Rules::load(Some(dir.path())).unwrap();
        assert_eq!(builtin.version(), Rules::builtin().version());
        assert_eq!(
            Rules::load(None).unwrap().version(),
            Rules::builtin().version()
        );
        assert!(screen(&builtin, "zebra crossing", &[], None).is_empty());

        let text = with_rule(
            "[[rule]]\nid = \"zebra\"\nclause = \"V.6.d\"\nseverity = \"blocking\"\n\
             explanation = \"V.6.d: no zebras\"\nwords = [\"zebra\"]\n",
        );
        std::fs::write(dir.path().join("policy.toml"), &text).unwrap();
        let custom = Rules::load(Some(dir.path())).unwrap();
        assert_ne!(custom.version(), builtin.version());
        assert_eq!(
            custom.version().rules_sha256,
            hex::encode(Sha256::digest(&text))
        );
        let f = screen(&custom, "A zebra crossing", &[], None);
        assert_eq!(labels(&f), ["V.6.d:blocking:zebra"]);
        assert_eq!(f[0].matched, "zebra");
    }

    #[test]
    fn malformed_override_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let base_lines = BUILTIN.lines().count();
        // A bad regex: the pattern is on the 6th line of the extra rule.
        let bad = with_rule(
            "[[rule]]\nid = \"broken\"\nclause = \"V.6.d\"\nseverity = \"blocking\"\n\
             explanation = \"x\"\npatterns = ['(unclosed']\n",
        );
        std::fs::write(dir.path().join("policy.toml"), &bad).unwrap();
        let err = Rules::load(Some(dir.path())).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)));
        let msg = err.to_string();
        let line = base_lines + 7;
        assert!(
            msg.contains(&format!(
                "policy.toml line {line}: rule `broken`: bad pattern"
            )),
            "{msg}"
        );
        assert!(!msg.contains('\n'), "{msg}");

        // A TOML syntax error, an unknown severity, an unknown field.
        let syntax = "[policy]\neffective = \"2023-01-24\"\npurposes = [\"mission\"\n";
        let msg = Rules::parse(syntax).unwrap_err().to_string();
        assert!(msg.starts_with("policy.toml line "), "{msg}");
        let severity = BUILTIN.replacen("severity = \"blocking\"", "severity = \"fatal\"", 1);
        let line = 1 + BUILTIN[..BUILTIN.find("severity = \"blocking\"").unwrap()]
            .matches('\n')
            .count();
        let msg = Rules::parse(&severity).unwrap_err().to_string();
        assert!(
            msg.starts_with(&format!("policy.toml line {line}:")),
            "{msg}"
        );
        let typo = BUILTIN.replacen("words = [", "wordz = [", 1);
        let msg = Rules::parse(&typo).unwrap_err().to_string();
        assert!(msg.contains("wordz"), "{msg}");
        let date = BUILTIN.replacen("2023-01-24", "Jan 24", 1);
        let msg = Rules::parse(&date).unwrap_err().to_string();
        assert!(msg.contains("line ") && msg.contains("YYYY-MM-DD"), "{msg}");
        // Unreadable: a directory where the file should be.
        std::fs::remove_file(dir.path().join("policy.toml")).unwrap();
        std::fs::create_dir(dir.path().join("policy.toml")).unwrap();
        assert!(Rules::load(Some(dir.path())).is_err());
    }

    #[test]
    fn rules_that_would_misbehave_are_refused() {
        let empty = with_rule(
            "[[rule]]\nid = \"e\"\nclause = \"V.6.d\"\nseverity = \"blocking\"\n\
             explanation = \"x\"\npatterns = ['a*']\n",
        );
        assert!(Rules::parse(&empty)
            .unwrap_err()
            .to_string()
            .contains("empty string"));
        let twice = with_rule(
            "[[rule]]\nid = \"guilt\"\nclause = \"V.6.d\"\nseverity = \"blocking\"\n\
             explanation = \"x\"\nwords = ['x']\n",
        );
        assert!(Rules::parse(&twice)
            .unwrap_err()
            .to_string()
            .contains("twice"));
        let bare = with_rule(
            "[[rule]]\nid = \"bare\"\nclause = \"V.6.d\"\nseverity = \"blocking\"\nexplanation = \"x\"\n",
        );
        assert!(Rules::parse(&bare)
            .unwrap_err()
            .to_string()
            .contains("neither words nor patterns"));
        let clause = with_rule(
            "[[rule]]\nid = \"c\"\nclause = \"six\"\nseverity = \"blocking\"\n\
             explanation = \"x\"\nwords = ['x']\n",
        );
        assert!(Rules::parse(&clause)
            .unwrap_err()
            .to_string()
            .contains("clause"));
    }

    #[test]
    fn version_hash_changes_with_the_text() {
        let a = Rules::parse(BUILTIN).unwrap().version();
        let b = Rules::parse(&format!("{BUILTIN}\n# a comment\n"))
            .unwrap()
            .version();
        assert_eq!(a.effective, b.effective);
        assert_ne!(a.rules_sha256, b.rules_sha256);
    }

    #[test]
    fn phrases_allow_spacing_apostrophe_and_hyphen_variants() {
        for text in ["Re-elect Smith", "reelect Smith", "RE ELECT Smith"] {
            assert_eq!(
                labels(&text_only(text)),
                ["V.6.d:blocking:political"],
                "{text}"
            );
        }
        assert_eq!(
            labels(&text_only("He was\n  found   GUILTY.")),
            ["V.6.c:blocking:guilt"]
        );
        assert_eq!(
            text_only("He was\n  found   GUILTY.")[0].matched,
            "found   GUILTY"
        );
    }

    #[test]
    fn boundaries_are_ascii_and_escapes_survive() {
        assert_eq!(ascii_boundaries(r"\bx\B"), r"(?-u:\b)x(?-u:\B)");
        assert_eq!(ascii_boundaries(r"\\b\d"), r"\\b\d");
        // An accented letter at a phrase's edge gets no boundary at all.
        assert_eq!(phrase_regex("café"), r"(?-u:\b)café");
        let f = text_only("Ünïcödé: José was convicted. Pokémon™");
        assert_eq!(
            f.iter().map(|f| f.matched.as_str()).collect::<Vec<_>>(),
            ["convicted", "Pokémon", "™"]
        );
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ a-zA-Z0-9.,!?#%$@'’/\n-]{0,12}",
            prop::sample::select(vec![
                "guilty",
                "Case No. 23-CR-01234",
                "probationer John Smith",
                "on probation",
                "he",
                "1234 Elm Street",
                "DOB 4/12/1990",
                "555-123-4567",
                "vote for",
                "campaign",
                "sheriff",
                "link in bio",
                "my shop",
                "™",
                "Photo:",
                "é",
                "👮🏽‍♀️",
                ". ",
                "W.",
                "\n",
                "people on probation",
                "join us",
            ])
            .prop_map(str::to_string),
        ]
    }

    proptest! {
        #[test]
        fn screen_never_panics_and_spans_are_valid(
            parts in proptest::collection::vec(fragment(), 0..24),
            profile in proptest::option::of(any::<String>()),
            ops in any::<bool>(),
        ) {
            let text = parts.concat();
            let media = [Media { path: "m.jpg", depicts_operations: ops }];
            let findings = screen(&Rules::builtin(), &text, &media, profile.as_deref());
            for f in &findings {
                prop_assert!(f.start <= f.end && f.end <= text.len());
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                if f.start < f.end {
                    prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
                }
            }
            for w in findings.windows(2) {
                prop_assert!((w[0].start, &w[0].clause) <= (w[1].start, &w[1].clause));
            }
        }
    }
}
