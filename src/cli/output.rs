//! Printing: JSON when asked, else aligned text made inert for the terminal.

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::error::{Error, Result};
use crate::text::inert;

pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Storage(format!("cannot print JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// A plain table: a header row, then rows, columns padded to fit.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let cells: Vec<Vec<String>> = std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(
            rows.iter()
                .map(|r| r.iter().map(|c| inert(c).into_owned()).collect()),
        )
        .collect();
    let mut widths = vec![0; header.len()];
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    for row in &cells {
        let mut line = String::new();
        for (i, (w, c)) in widths.iter().zip(row).enumerate() {
            line.push_str(c);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - c.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `label: value` lines, values made inert.
pub fn fields(out: &mut dyn Write, rows: &[(&str, String)]) -> Result<()> {
    let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    for (k, v) in rows {
        writeln!(out, "{k:<width$}  {}", inert(v))?;
    }
    Ok(())
}
