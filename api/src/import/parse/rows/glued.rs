//! Tables flattened without separators: a web page's table copied as text, one row a line, its
//! cells run together (`(1)实现高频事项全程网办市行政审批局、市大数据中心2022年6月底`), under a
//! header such as `序号工作任务责任单位完成时限` and an outline of headings (`(一)…`, `1.…`).
//!
//! A row is a numbered line ending with a deadline; what comes before the deadline ends with a
//! `、`-separated list of units, the first of which is glued to the task. Where that first name
//! starts is told by the names the other rows list whole, else by its level (`市`, `县`, `区` …).
//! A numbered line without units is a heading: its number prefixes the numbers of the rows under it.

use super::super::units::{is_not_exhaustive, parse_units_cell};
use super::items::{Style, parse_marker};
use super::items_units::looks_like_unit;
use super::space::is_footer;
use super::table::{Column, compact, header_columns};
use super::{RawTask, RowsOutcome, ScheduleSource, UnitSpec};
use regex::Regex;
use std::sync::LazyLock;

/// A deadline glued to the end of a row: `2022年9月底`, `6月底前`, `2023年`, `长期坚持`.
static DEADLINE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:[0-9]{4}年)?[0-9]{1,2}月(?:底|末|份|上旬|中旬|下旬)?(?:前|之前)?|[0-9]{4}年(?:底|末)?(?:前|之前)?|年底前?|长期坚持|持续推进|长期)$",
    )
    .expect("valid pattern")
});

/// Levels a unit name starts with.
const LEVELS: &str = "省市县区州旗镇乡各";

/// Characters that make a following level character part of a word (`城市管理局`, `超市`).
const WORD_BEFORE_LEVEL: &str = "城都超门";

/// One numbered line: its mark as written and what follows it.
struct Line<'a> {
    line: usize,
    style: Style,
    mark: &'a str,
    body: &'a str,
}

/// A glued table under a header naming units and a deadline; `None` when there is none.
pub(super) fn parse_glued_table(text: &str) -> Option<RowsOutcome> {
    let lines: Vec<&str> = text.split('\n').collect();
    let header_at = lines.iter().position(|l| is_glued_header(l))?;
    let numbered: Vec<Line<'_>> = lines
        .iter()
        .enumerate()
        .skip(header_at + 1)
        .take_while(|(_, l)| !is_footer(l))
        .filter_map(|(i, l)| {
            let l = l.trim();
            let (style, _, len) = parse_marker(l)?;
            Some(Line { line: i + 1, style, mark: &l[..len], body: &l[len..] })
        })
        .collect();
    let known = whole_names(&numbered);
    let mut outline: Vec<(Style, &str)> = Vec::new();
    let mut tasks = Vec::new();
    for line in &numbered {
        if let Some(at) = outline.iter().position(|(style, _)| *style == line.style) {
            outline.truncate(at);
        }
        outline.push((line.style, line.mark));
        if let Some(task) = row_task(line, &known, &outline, tasks.len()) {
            tasks.push(task);
        }
    }
    (!tasks.is_empty()).then_some(RowsOutcome { tasks, warnings: Vec::new() })
}

/// `序号工作任务责任单位完成时限`: units and a schedule named, with or without spaces.
fn is_glued_header(line: &str) -> bool {
    let columns = header_columns(&compact(line));
    let names_units = columns.iter().any(|c| matches!(c, Column::Units | Column::Lead));
    !line.contains('|') && compact(line).chars().count() <= 40 && names_units && columns.contains(&Column::Schedule)
}

/// The task of a row with units and a deadline; `None` for a heading.
fn row_task(line: &Line<'_>, known: &[&str], outline: &[(Style, &str)], count: usize) -> Option<RawTask> {
    let deadline = DEADLINE_TAIL.find(line.body)?;
    let before = &line.body[..deadline.start()];
    let (title, units) = split_title_units(before, known)?;
    let spec = parse_units_cell(units)?;
    if matches!(&spec, UnitSpec::Listed(names) if names.is_empty()) {
        return None;
    }
    let seq = i32::try_from(count + 1).ok()?;
    let number: String = outline.iter().map(|(_, mark)| *mark).collect();
    Some(RawTask {
        seq,
        number: number.trim_end_matches(['.', '、']).to_string(),
        parent: None,
        title: title.trim_end_matches(['。', ',', ';']).to_string(),
        measures: String::new(),
        units_not_exhaustive: is_not_exhaustive(units),
        units: spec,
        leader: None,
        schedule: deadline.as_str().to_string(),
        schedule_source: ScheduleSource::Cell,
        line: line.line,
    })
}

/// Unit names the rows list after a `、`, so written whole.
fn whole_names<'a>(lines: &[Line<'a>]) -> Vec<&'a str> {
    let mut names: Vec<&'a str> = lines
        .iter()
        .filter_map(|l| DEADLINE_TAIL.find(l.body).map(|m| &l.body[..m.start()]))
        .flat_map(|before| before.split('、').skip(1))
        .filter(|name| looks_like_unit(name))
        .collect();
    names.sort_unstable_by_key(|name| std::cmp::Reverse(name.len()));
    names.dedup();
    names
}

/// The task's words and its units list: the units are the `、`-separated names at the end,
/// the first of them glued to the task.
fn split_title_units<'a>(before: &'a str, known: &[&str]) -> Option<(&'a str, &'a str)> {
    let mut head_end = before.len();
    // Walk left over whole names; the piece left of them holds the task and the first name.
    while let Some(sep) = before[..head_end].rfind('、') {
        if !looks_like_unit(&before[sep + '、'.len_utf8()..head_end]) {
            break;
        }
        head_end = sep;
    }
    let head = &before[..head_end];
    let level = before[head_end..].trim_start_matches('、').chars().next().filter(|c| LEVELS.contains(*c));
    let start = known_start(head, known).or_else(|| level_start(head, level))?;
    (start > 0).then(|| (&before[..start], &before[start..]))
}

/// Where a name some other row lists whole starts at the end of `head`.
fn known_start(head: &str, known: &[&str]) -> Option<usize> {
    known.iter().find(|name| head.len() > name.len() && head.ends_with(**name)).map(|name| head.len() - name.len())
}

/// Where the first unit starts by its level: the last level character that starts a name, not
/// inside a word (`城市`) and not the second of a doubled one (`市市场监管局`).
fn level_start(head: &str, level: Option<char>) -> Option<usize> {
    let chars: Vec<(usize, char)> = head.char_indices().collect();
    let is_level = |c: char| level.map_or_else(|| LEVELS.contains(c), |l| c == l);
    let mut i = chars
        .iter()
        .rposition(|(at, c)| is_level(*c) && looks_like_unit(&head[*at..]) && head[*at..].chars().count() >= 3)?;
    loop {
        let before = i.checked_sub(1).map(|b| chars[b].1);
        match before {
            Some(b) if b == chars[i].1 => return Some(chars[i - 1].0),
            Some(b) if WORD_BEFORE_LEVEL.contains(b) => {
                i = chars[..i].iter().rposition(|(_, c)| is_level(*c))?;
            }
            _ => return Some(chars[i].0),
        }
    }
}
