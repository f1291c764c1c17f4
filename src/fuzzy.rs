//! Fuzzy matching for the roster look-up (SPEC §2): over name, id, login
//! and unit, best match first, ties kept in roster order.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

/// Haystacks prepared once, matched on every keystroke.
pub struct Index {
    ids: Vec<String>,
    haystacks: Vec<Utf32String>,
    matcher: Matcher,
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
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Ids of the entries matching `query`, best first.
    pub fn search(&mut self, query: &str) -> Vec<String> {
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut scored: Vec<(u32, usize)> = self
            .haystacks
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                pattern
                    .score(h.slice(..), &mut self.matcher)
                    .map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .map(|(_, i)| self.ids[i].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        Index::new(vec![
            (
                "E1".into(),
                "Maria Delgado E1 mdelgado Juvenile Hall".into(),
            ),
            ("E2".into(), "Marcus Dell E2 mdell Adult Field".into()),
            ("E3".into(), "Tom Reyes E3 treyes Training".into()),
        ])
    }

    #[test]
    fn best_match_first_over_every_field() {
        let mut i = index();
        assert_eq!(i.search("delgado")[0], "E1");
        assert_eq!(i.search("treyes"), vec!["E3"]);
        assert_eq!(i.search("juv"), vec!["E1"]);
        assert_eq!(i.search("E3"), vec!["E3"]);
        assert!(i.search("zzzz").is_empty());
    }

    #[test]
    fn an_empty_query_keeps_roster_order() {
        assert_eq!(index().search(""), vec!["E1", "E2", "E3"]);
    }
}
