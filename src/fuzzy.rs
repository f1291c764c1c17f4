//! Fuzzy matching for the roster look-up (SPEC §2): over name, id, login
//! and unit, best match first, ties kept in roster order.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// Haystacks prepared once, matched on every keystroke.
pub struct Index {
    ids: Vec<String>,
    haystacks: Vec<Utf32String>,
    matcher: Matcher,
    /// Earlier queries of this typing session and the entries they matched,
    /// so that a longer query searches only what the shorter one matched
    /// and a backspace is answered from memory.
    narrowed: Vec<Narrowed>,
}

/// Whether every entry matching `longer` also matches `shorter`: true when
/// `longer` only adds characters, none of which changes what the earlier
/// ones mean (negation, anchors, exact-match quotes, escapes).
fn narrows(shorter: &str, longer: &str) -> bool {
    longer.starts_with(shorter) && !longer.contains(['!', '^', '$', '\'', '\\'])
}

impl Index {
    pub fn new(entries: Vec<(String, String)>) -> Index {
        let mut ids = Vec::with_capacity(entries.len());
        let mut haystacks = Vec::with_capacity(entries.len());
        for (id, hay) in entries {
            ids.push(id);
            haystacks.push(Utf32String::from(hay));
        }
        Index {
            ids,
            haystacks,
            matcher: Matcher::new(Config::DEFAULT),
            narrowed: Vec::new(),
        }
    }

    /// The id of entry `i` (as [`Index::search`] returns them).
    pub fn id(&self, i: u32) -> &str {
        &self.ids[i as usize]
    }

    /// The entries matching `query`, best first.
    pub fn search(&mut self, query: &str) -> Vec<u32> {
        while self
            .narrowed
            .last()
            .is_some_and(|n| !narrows(&n.query, query))
        {
            self.narrowed.pop();
        }
        // A backspace back to a query already answered: no matching at all.
        if let Some(n) = self.narrowed.last().filter(|n| n.query == query) {
            return n.ranked.clone();
        }
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let candidates: Box<dyn Iterator<Item = u32>> = match self.narrowed.last() {
            Some(n) => Box::new(n.found.clone().into_iter()),
            None => Box::new(0..self.haystacks.len() as u32),
        };
        let mut scored: Vec<(u32, u32)> = candidates
            .filter_map(|i| {
                pattern
                    .score(self.haystacks[i as usize].slice(..), &mut self.matcher)
                    .map(|s| (s, i))
            })
            .collect();
        // Candidates come in index order, so `found` is sorted already.
        let found: Vec<u32> = scored.iter().map(|(_, i)| *i).collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranked: Vec<u32> = scored.into_iter().map(|(_, i)| i).collect();
        self.narrowed.push(Narrowed {
            query: query.to_string(),
            found,
            ranked: ranked.clone(),
        });
        ranked
    }
}

/// One earlier query of a typing session and what it matched.
struct Narrowed {
    query: String,
    /// The matching entries in index order: the candidates for a longer query.
    found: Vec<u32>,
    /// The same, best first: the answer again after a backspace.
    ranked: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    impl Index {
        fn search_ids(&mut self, query: &str) -> Vec<String> {
            self.search(query)
                .into_iter()
                .map(|i| self.id(i).to_string())
                .collect()
        }
    }

    fn entries() -> Vec<(String, String)> {
        vec![
            (
                "E1".into(),
                "Maria Delgado E1 mdelgado Juvenile Hall".into(),
            ),
            ("E2".into(), "Marcus Dell E2 mdell Adult Field".into()),
            ("E3".into(), "Tom Reyes E3 treyes Training".into()),
        ]
    }

    #[test]
    fn best_match_first_over_every_field() {
        let mut i = Index::new(entries());
        assert_eq!(i.search_ids("delgado")[0], "E1");
        assert_eq!(i.search_ids("treyes"), vec!["E3"]);
        assert_eq!(i.search_ids("juv"), vec!["E1"]);
        assert_eq!(i.search_ids("E3"), vec!["E3"]);
        assert!(i.search_ids("zzzz").is_empty());
    }

    #[test]
    fn an_empty_query_keeps_roster_order() {
        assert_eq!(Index::new(entries()).search_ids(""), vec!["E1", "E2", "E3"]);
    }

    #[test]
    fn typing_then_deleting_gives_the_same_answers_as_fresh_searches() {
        let mut typed = Index::new(entries());
        for q in [
            "m", "ma", "mar", "marc", "mar", "ma", "m", "", "!m", "!ma", "!m",
        ] {
            assert_eq!(
                typed.search_ids(q),
                Index::new(entries()).search_ids(q),
                "{q}"
            );
        }
    }

    proptest! {
        #[test]
        fn narrowing_never_changes_an_answer(queries in proptest::collection::vec("[a-eE1-3 !^$']{0,4}", 1..8)) {
            let mut typed = Index::new(entries());
            for q in &queries {
                prop_assert_eq!(typed.search_ids(q), Index::new(entries()).search_ids(q));
            }
        }
    }
}
