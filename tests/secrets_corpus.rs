//! Secret refusal measured against a labelled corpus of realistic reasons,
//! notes and notification descriptions (tests/corpus/secrets.toml; SPEC §4
//! "Secrets are never stored"). Every text must be classified as labelled;
//! run with `cargo test --test secrets_corpus -- --nocapture` for the counts.

use std::collections::BTreeSet;

use serde::Deserialize;
use socialdesk::domain::secrets::{looks_like_secret, refuse_secret};
use socialdesk::error::Error;

const CORPUS: &str = include_str!("corpus/secrets.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    text: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    field: String,
    text: String,
    secret: bool,
}

fn load() -> Vec<Entry> {
    let corpus: Corpus = toml::from_str(CORPUS).expect("tests/corpus/secrets.toml parses");
    corpus.text
}

#[test]
fn corpus_is_well_formed() {
    let entries = load();
    let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries.len(), "ids must be unique");
    let secret = entries.iter().filter(|e| e.secret).count();
    let ordinary = entries.len() - secret;
    assert!(
        secret >= 25 && ordinary >= 25,
        "{secret} secret-like, {ordinary} ordinary: at least 25 of each"
    );
    for e in &entries {
        assert!(!e.text.trim().is_empty(), "{}: empty text", e.id);
        assert!(!e.field.trim().is_empty(), "{}: empty field", e.id);
    }
}

#[test]
fn every_text_is_classified_as_labelled() {
    let entries = load();
    let mut wrong = Vec::new();
    let (mut caught, mut missed, mut allowed, mut false_alarms) = (0, 0, 0, 0);
    for e in &entries {
        let why = looks_like_secret(&e.text);
        match (e.secret, why) {
            (true, Some(why)) => {
                caught += 1;
                println!("  refused  {:<28} {why}", e.id);
            }
            (true, None) => {
                missed += 1;
                wrong.push(format!("missed secret {}: {:?}", e.id, e.text));
            }
            (false, None) => allowed += 1,
            (false, Some(why)) => {
                false_alarms += 1;
                wrong.push(format!("false alarm {} ({why}): {:?}", e.id, e.text));
            }
        }
    }
    println!(
        "secret-like: {caught} refused, {missed} missed; ordinary: {allowed} allowed, \
         {false_alarms} refused by mistake ({} texts)",
        entries.len()
    );
    assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
}

#[test]
fn refusals_name_the_field_and_store_nothing_of_the_secret() {
    for e in load().iter().filter(|e| e.secret) {
        let Err(Error::Invalid(msg)) = refuse_secret(&e.field, &e.text) else {
            panic!("{}: should be refused as invalid input (exit 1)", e.id);
        };
        assert!(
            msg.starts_with(&format!("the {} looks like it holds a secret (", e.field)),
            "{}: {msg}",
            e.id
        );
        assert!(
            msg.ends_with("secrets are never stored: describe the change without it"),
            "{}: {msg}",
            e.id
        );
        // The message is built from the field and a fixed reason only: no
        // word of the text longer than the secret words themselves comes back.
        for word in e.text.split_whitespace() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if bare.chars().any(|c| c.is_ascii_digit()) && bare.len() >= 4 {
                assert!(!msg.contains(bare), "{}: message repeats {bare:?}", e.id);
            }
        }
    }
    for e in load().iter().filter(|e| !e.secret) {
        assert!(refuse_secret(&e.field, &e.text).is_ok(), "{}", e.id);
    }
}
