//! Synthetic data for benchmarks (`socialdesk gen`): added to an existing
//! database, audited like any write, with ids that never collide.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use crate::domain::permission::Permission;
use crate::domain::rank::Rank;
use crate::domain::screening::{self, Rules};
use crate::error::Result;
use crate::store::{audit, timestamp, Me, Store, Tx};

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

const POSTS: &[&str] = &[
    "Congratulations to our newest graduates of the Probation Academy!",
    "Join us at the job fair on Saturday at the county fairgrounds.",
    "We're hiring Deputy Probation Officers: apply on the county jobs page.",
    "Thank you to the volunteers at this weekend's community clean-up.",
    "Our youth mentoring program celebrates another year of success.",
    "National Probation Officers Week: thank you to our officers.",
    "Behind the scenes at this week's training.",
    "The man arrested last week was found guilty and awaits sentencing.",
];

const STATUSES: &[&str] = &[
    "published",
    "published",
    "published",
    "approved",
    "rejected",
    "withdrawn",
    "draft",
    "changes_requested",
    "submitted",
    "submitted",
];

/// An active chief deputy and an account for synthetic drafts to name.
fn gen_account(tx: &Tx, rng: &mut Rng) -> Result<i64> {
    if let Some(id) = tx
        .sql
        .query_row(
            "SELECT id FROM accounts WHERE status = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let deputy: Option<String> = tx
        .sql
        .query_row(
            "SELECT id FROM employees WHERE rank = 'chief_deputy' AND status = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let deputy = match deputy {
        Some(d) => d,
        None => {
            let id = format!("GEN-CD{}", rng.next() % 1_000_000);
            tx.sql.execute(
                "INSERT INTO employees (id, name, rank, unit) VALUES (?1, 'Synthetic Deputy', 'chief_deputy', 'Administration')",
                [&id],
            )?;
            id
        }
    };
    tx.sql.execute(
        "INSERT INTO accounts (platform, handle, responsible, profile) VALUES ('other', ?1, ?2, 'Synthetic Probation Department account')",
        params![format!("gen_account_{}", rng.next() % 1_000_000), deputy],
    )?;
    Ok(tx.sql.last_insert_rowid())
}

/// Synthetic drafts, each with one screened revision, in every status.
fn gen_drafts(tx: &Tx, rng: &mut Rng, count: u64) -> Result<()> {
    if count == 0 {
        return Ok(());
    }
    let rules = Rules::builtin();
    let account = gen_account(tx, rng)?;
    let authors: Vec<String> = {
        let mut stmt = tx.sql.prepare(
            "SELECT id FROM employees WHERE rank IN ('officer', 'staff', 'supervisor') ORDER BY id LIMIT 500",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let approver = tx.me.employee.clone();
    let authors = if authors.is_empty() {
        vec![approver.clone()]
    } else {
        authors
    };
    let at = tx.now_text();
    for _ in 0..count {
        let author = &authors[(rng.next() % authors.len() as u64) as usize];
        let status = rng.pick(STATUSES);
        let text = rng.pick(POSTS);
        let decided = matches!(status, "published" | "approved");
        let approved_by = (decided && *author != approver).then(|| approver.clone());
        tx.sql.execute(
            "INSERT INTO drafts (account, author, purpose, status, revision, created_at, submitted_at, approved_revision, approved_by, url)
             VALUES (?1, ?2, 'outreach', ?3, 1, ?4, ?4, ?5, ?6, ?7)",
            params![
                account,
                author,
                status,
                at,
                approved_by.as_ref().map(|_| 1),
                approved_by,
                (status == "published").then_some("https://example.invalid/post")
            ],
        )?;
        let id = tx.sql.last_insert_rowid();
        tx.sql.execute(
            "INSERT INTO revisions (draft, n, text, created_at, created_by) VALUES (?1, 1, ?2, ?3, ?4)",
            params![id, text, at, author],
        )?;
        for (i, f) in screening::screen(&rules, text, &[], None)
            .iter()
            .enumerate()
        {
            tx.sql.execute(
                "INSERT INTO findings (draft, revision, n, clause, severity, start, end, matched, rule, explanation)
                 VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![id, i as i64 + 1, f.clause, f.severity.as_str(), f.start as i64, f.end as i64, f.matched, f.rule, f.explanation],
            )?;
        }
    }
    Ok(())
}

pub fn generate(store: &mut Store, me: &Me, counts: GenCounts, seed: u64) -> Result<GenCounts> {
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
        gen_drafts(tx, &mut rng, counts.drafts)?;
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
        let state = json!({
            "employees": counts.employees, "drafts": counts.drafts, "events": counts.events,
            "seed": seed, "first_id": start + 1,
        });
        Ok((counts, state))
    })
}
