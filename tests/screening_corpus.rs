//! Screening measured against a labelled corpus of realistic posts
//! (tests/corpus/posts.toml). Prints precision and recall per post and per
//! clause:severity label; run with `cargo test --test screening_corpus -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use socialdesk::domain::screening::{screen, Media, Rules};

const CORPUS: &str = include_str!("corpus/posts.toml");

/// Every label the corpus must exercise (SPEC §3.2).
const LABELS: [&str; 5] = [
    "V.6.b:advisory",
    "V.6.c:blocking",
    "V.6.c:express",
    "V.6.d:blocking",
    "V.6.e:advisory",
];

// Floors, set a little below what the builtin rules achieve (see the printed
// tables): a drop below them is a regression. Over all posts most of the
// corpus is posts the rules were tuned on, so those figures flatter; the
// newest held-out set is the honest estimate for posts nobody has seen, and it
// has floors of its own. When the rules are tuned on its misses, it stops
// being held out: say so in posts.toml, and write a new set before the next run.
const POST_PRECISION: f64 = 0.95; // achieved 0.989
const POST_RECALL: f64 = 0.92; // achieved 0.945
const LABEL_PRECISION: f64 = 0.9; // lowest achieved 0.966 (V.6.c:express)
const LABEL_RECALL: f64 = 0.85; // lowest achieved 0.885 (V.6.d:blocking)
const HELD_OUT: &str = "holdout3";
const HELD_OUT_POST_PRECISION: f64 = 0.85; // achieved 0.909 (10 of 11)
const HELD_OUT_POST_RECALL: f64 = 0.6; // achieved 0.667 (10 of 15)

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    post: Vec<Post>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    id: String,
    text: String,
    #[serde(default)]
    media: Vec<MediaDef>,
    profile: Option<String>,
    expect: Vec<String>,
    /// "dev": the rules were tuned on it; "holdout1", "holdout2": written
    /// after the rules, see posts.toml.
    #[serde(default = "dev")]
    set: String,
}

fn dev() -> String {
    "dev".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MediaDef {
    path: String,
    depicts_operations: bool,
}

#[derive(Default)]
struct Tally {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Tally {
    fn add(&mut self, expected: bool, got: bool) {
        match (expected, got) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Precision; 1.0 when nothing was flagged (no false alarm possible).
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall; 1.0 when nothing was expected.
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        1.0
    } else {
        n as f64 / d as f64
    }
}

fn load() -> Vec<Post> {
    let corpus: Corpus = toml::from_str(CORPUS).expect("tests/corpus/posts.toml parses");
    corpus.post
}

#[test]
fn corpus_is_well_formed() {
    let posts = load();
    assert!(posts.len() >= 60, "only {} posts", posts.len());
    let ids: BTreeSet<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), posts.len(), "post ids must be unique");
    let flagged = posts.iter().filter(|p| !p.expect.is_empty()).count();
    let clean = posts.len() - flagged;
    assert!(
        flagged >= 30 && clean >= 30,
        "{flagged} flagged, {clean} clean"
    );
    let used: BTreeSet<&str> = posts
        .iter()
        .flat_map(|p| p.expect.iter().map(String::as_str))
        .collect();
    for label in &used {
        assert!(LABELS.contains(label), "unknown label {label}");
    }
    for label in LABELS {
        assert!(used.contains(label), "no post expects {label}");
    }
}

/// Precision and recall over some posts.
struct Report {
    posts: usize,
    per_post: Tally,
    per_label: BTreeMap<&'static str, Tally>,
    misses: Vec<String>,
}

fn measure(rules: &Rules, posts: &[&Post]) -> Report {
    let mut report = Report {
        posts: posts.len(),
        per_post: Tally::default(),
        per_label: LABELS.iter().map(|l| (*l, Tally::default())).collect(),
        misses: Vec::new(),
    };
    for post in posts {
        let media: Vec<Media> = post
            .media
            .iter()
            .map(|m| Media {
                path: &m.path,
                depicts_operations: m.depicts_operations,
            })
            .collect();
        let findings = screen(rules, &post.text, &media, post.profile.as_deref());
        let got: BTreeSet<String> = findings
            .iter()
            .map(|f| format!("{}:{}", f.clause, f.severity.as_str()))
            .collect();
        let expected: BTreeSet<String> = post.expect.iter().cloned().collect();

        report.per_post.add(!expected.is_empty(), !got.is_empty());
        for (label, tally) in report.per_label.iter_mut() {
            tally.add(expected.contains(*label), got.contains(*label));
        }
        if got != expected {
            let detail: Vec<String> = findings
                .iter()
                .map(|f| {
                    format!(
                        "{}:{} {} {:?}",
                        f.clause,
                        f.severity.as_str(),
                        f.rule,
                        f.matched
                    )
                })
                .collect();
            report.misses.push(format!(
                "  {}: expected {:?}, got {:?}\n      {}",
                post.id,
                expected,
                got,
                detail.join("\n      ")
            ));
        }
    }
    report
}

fn print(title: &str, r: &Report) {
    println!(
        "\n== {title}: {} posts, {} labelled exactly",
        r.posts,
        r.posts - r.misses.len()
    );
    let p = &r.per_post;
    println!(
        "per post (flagged or not): precision {:.3}  recall {:.3}  (tp {} fp {} fn {})",
        p.precision(),
        p.recall(),
        p.tp,
        p.fp,
        p.fn_
    );
    println!(
        "{:<16} {:>9} {:>7} {:>4} {:>4} {:>4}",
        "label", "precision", "recall", "tp", "fp", "fn"
    );
    for (label, t) in &r.per_label {
        println!(
            "{label:<16} {:>9.3} {:>7.3} {:>4} {:>4} {:>4}",
            t.precision(),
            t.recall(),
            t.tp,
            t.fp,
            t.fn_
        );
    }
    if !r.misses.is_empty() {
        println!("posts not labelled exactly:\n{}", r.misses.join("\n"));
    }
}

#[test]
fn screening_meets_its_floors_on_the_corpus() {
    let rules = Rules::builtin();
    let posts = load();
    // Each set apart (see the comments in posts.toml on how each was used),
    // then all together; the floors apply to all together.
    let sets: BTreeSet<&str> = posts.iter().map(|p| p.set.as_str()).collect();
    assert!(sets.contains(HELD_OUT), "no post in set {HELD_OUT}");
    for set in sets {
        let some: Vec<&Post> = posts.iter().filter(|p| p.set == set).collect();
        let report = measure(&rules, &some);
        print(&format!("set = {set}"), &report);
        if set == HELD_OUT {
            let p = &report.per_post;
            assert!(
                p.precision() >= HELD_OUT_POST_PRECISION,
                "{set}: post precision {:.3}",
                p.precision()
            );
            assert!(
                p.recall() >= HELD_OUT_POST_RECALL,
                "{set}: post recall {:.3}",
                p.recall()
            );
        }
    }
    let all: Vec<&Post> = posts.iter().collect();
    let report = measure(&rules, &all);
    print("all posts", &report);

    let p = &report.per_post;
    assert!(
        p.precision() >= POST_PRECISION,
        "post precision {:.3}",
        p.precision()
    );
    assert!(p.recall() >= POST_RECALL, "post recall {:.3}", p.recall());
    for (label, t) in &report.per_label {
        assert!(
            t.precision() >= LABEL_PRECISION,
            "{label} precision {:.3}",
            t.precision()
        );
        assert!(
            t.recall() >= LABEL_RECALL,
            "{label} recall {:.3}",
            t.recall()
        );
    }
}
