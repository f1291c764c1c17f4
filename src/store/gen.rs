//! Synthetic data for benchmarks (`socialdesk gen`): added to an existing
//! database, audited like any write, with ids that never collide.

use rusqlite::params;
use serde_json::json;

use crate::domain::permission::Permission;
use crate::domain::rank::Rank;
use crate::error::{Error, Result};
use crate::store::{audit, timestamp, Me, Store};

const FIRST: &[&str] = &[
    "Ana", "Ben", "Carmen", "Dmitri", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Johnson",
    "Kim",
    "Lopez",
    "Morales",
    "Nguyen",
    "Okafor",
    "Patel",
    "Reyes",
    "Singh",
    "Torres",
    "Underwood",
    "Vasquez",
    "Walker",
    "Xu",
    "Young",
    "Zamora",
];
const UNITS: &[&str] = &[
    "Adult Field Services",
    "Juvenile Hall",
    "Pretrial",
    "Training",
    "Administration",
    "Community Programs",
    "Records",
    "Camp",
    "Investigations",
    "Court Services",
];

/// SplitMix64: small, seedable, good enough for synthetic names.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenCounts {
    pub employees: u64,
    pub drafts: u64,
    pub events: u64,
}

pub fn generate(store: &mut Store, me: &Me, counts: GenCounts, seed: u64) -> Result<GenCounts> {
    if counts.drafts > 0 {
        return Err(Error::invalid(
            "this version has no drafts yet: use --drafts 0 (drafts arrive with the Drafts tab)",
        ));
    }
    store.write(me, "gen", "roster", |tx| {
        tx.require(Permission::Administer)?;
        let mut rng = Rng(seed);
        let start: i64 = tx.sql.query_row(
            "SELECT coalesce(max(CAST(substr(id, 5) AS INTEGER)), 0) FROM employees WHERE id GLOB 'GEN-[0-9]*'",
            [],
            |r| r.get(0),
        )?;
        let mut insert = tx.sql.prepare(
            "INSERT INTO employees (id, name, rank, unit, login, email, phone, status)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, '', 'active')",
        )?;
        for k in 1..=counts.employees as i64 {
            let n = start + k;
            let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let rank = match rng.next() % 100 {
                0 => Rank::ChiefDeputy,
                1..=5 => Rank::Supervisor,
                6..=60 => Rank::Officer,
                _ => Rank::Staff,
            };
            let id = format!("GEN-{n}");
            insert.execute(params![
                id,
                name,
                rank.as_str(),
                rng.pick(UNITS),
                format!("gen{n}@example.invalid")
            ])?;
        }
        drop(insert);
        let at = timestamp(tx.now);
        for i in 0..counts.events {
            audit::append(
                &tx.sql,
                &audit::NewEvent {
                    at: &at,
                    actor: &tx.me.employee,
                    os_user: &tx.me.os_user,
                    action: "gen.synthetic",
                    entity: &format!("synthetic:{}", rng.next() % 100_000),
                    state: &json!({ "n": i }),
                },
            )?;
        }
        let state = json!({ "employees": counts.employees, "events": counts.events, "seed": seed, "first_id": start + 1 });
        Ok((counts, state))
    })
}
