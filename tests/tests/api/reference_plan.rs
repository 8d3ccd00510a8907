//! An independent reading of the reference plan's units column, so view tests compute the
//! rows each unit should see from the plan text instead of from the importer under test.
//!
//! The pasted text is flattened (one cell a line, ending in `|`) and converted to Traditional
//! script with pinyin artifacts (`鎮(zhèn)`). This reader only needs the units cell of each
//! row: it drops the artifacts and parentheticals, splits on `、` and commas, and keeps the
//! names in the plan's (Traditional) spelling.

use duban::bootstrap::SAMPLE_PLAN;

/// 县民政局 as the plan writes it.
pub const MINZHENG: &[&str] = &["縣民政局"];
/// 县卫生局.
pub const WEISHENG: &[&str] = &["縣衛生局"];
/// 县司法局.
pub const SIFA: &[&str] = &["縣司法局"];
/// 县发展和改革局 and its alias 县发展改革委 (task 1).
pub const FAGAI: &[&str] = &["縣發展和改革局", "縣發展改革委"];
/// The group 各镇人民政府.
pub const TOWNS: &[&str] = &["各鎮人民政府"];

const HEADER: [&str; 5] = ["序號", "工作任務", "落實措施", "負責單位", "時間進度"];

/// `(seq, units in plan order)` for every row of the reference plan.
pub fn rows() -> Vec<(i32, Vec<String>)> {
    cells()
        .chunks(5)
        .map(|row| {
            let seq = row[0].parse().unwrap_or_else(|_| panic!("row number expected, found {:?}", row[0]));
            (seq, units(&row[3]))
        })
        .collect()
}

/// Seqs of the tasks any of `names` is assigned to, ascending.
pub fn assigned(names: &[&str]) -> Vec<i32> {
    rows().into_iter().filter(|(_, units)| units.iter().any(|u| names.contains(&u.as_str()))).map(|(s, _)| s).collect()
}

/// Seqs of the tasks one of `names` leads (is listed first), ascending.
pub fn led(names: &[&str]) -> Vec<i32> {
    rows().into_iter().filter(|(_, units)| names.contains(&units[0].as_str())).map(|(s, _)| s).collect()
}

/// Seqs of the tasks one of `names` supports (is listed, but not first), ascending.
pub fn supported(names: &[&str]) -> Vec<i32> {
    let led = led(names);
    assigned(names).into_iter().filter(|s| !led.contains(s)).collect()
}

/// Seqs in both lists.
pub fn both(a: &[i32], b: &[i32]) -> Vec<i32> {
    a.iter().copied().filter(|s| b.contains(s)).collect()
}

/// The table's cells in order, header cells left out. A row number alone on its line is
/// joined with the `|` line after it.
fn cells() -> Vec<String> {
    let lines: Vec<&str> = SAMPLE_PLAN.lines().map(str::trim).collect();
    let mut cells = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(cell) = line.strip_suffix('|') {
            cells.push(strip_pinyin(cell.trim()));
        } else if lines.get(i + 1) == Some(&"|") && line.parse::<i32>().is_ok() {
            cells.push(line.to_owned());
            i += 1;
        }
        i += 1;
    }
    cells.retain(|c| !HEADER.contains(&c.as_str()));
    assert_eq!(cells.len() % 5, 0, "the reference plan has five cells a row");
    cells
}

/// The units of one cell, in order: parentheticals (the rule note of task 1) dropped, split on
/// `、` and commas.
fn units(cell: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0;
    for c in cell.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    plain.split(['、', ',', '，']).map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned).collect()
}

/// Removes converter artifacts: a parenthesised run of Latin letters (with tone marks).
fn strip_pinyin(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            let close = chars[i + 1..].iter().position(|c| *c == ')').map(|p| i + 1 + p);
            if let Some(close) = close {
                let inner = &chars[i + 1..close];
                if !inner.is_empty() && inner.iter().all(|c| c.is_alphabetic() && (*c as u32) < 0x2E80) {
                    i = close + 1;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[test]
fn the_reader_finds_26_rows_with_the_leads_the_plan_names() {
    let rows = rows();
    assert_eq!(rows.iter().map(|(s, _)| *s).collect::<Vec<_>>(), (1..=26).collect::<Vec<_>>());
    assert_eq!(led(WEISHENG), vec![15]);
    assert_eq!(led(FAGAI), vec![4, 11]);
    assert_eq!(assigned(SIFA), vec![26]);
    assert!(supported(WEISHENG).contains(&13));
    assert!(!assigned(MINZHENG).contains(&4) && !assigned(WEISHENG).contains(&4));
    // Task 1's rule note is not a unit; the group after it is.
    assert_eq!(rows[0].1.last().map(String::as_str), Some("各鎮人民政府"));
}
