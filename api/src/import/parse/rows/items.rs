//! Numbered items whose units come in a parenthesis, on label lines or in a `由X会同Y负责` clause.

use super::super::notice::chinese_number;
use super::super::units::{find_labels, parse_units_cell, split_units};
use super::space::is_footer;
use super::table::*;
use super::{RawTask, RowsOutcome, UnitSpec, warning};
use regex::Regex;
use std::sync::LazyLock;

/// Label values of one kind in a text, joined.
pub(super) fn label_text(text: &str, kind: super::super::units::LabelKind) -> String {
    find_labels(text).into_iter().filter(|l| l.kind == kind).map(|l| l.value).collect::<Vec<_>>().join(";")
}

/// How a numbered item is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    /// `一、`
    CnComma,
    /// `(一)`
    ParenCn,
    /// `1.`
    ArabicDot,
    /// `1、`
    ArabicComma,
    /// `(1)`
    ParenArabic,
}

/// `由X会同Y负责`, `由X牵头,Y配合`.
pub(super) static BY_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"由([^,;。()\n]{2,60}?)(?:会同|牵头,?)([^。;()\n]{2,200}?)(?:共同)?(?:负责|配合|参与|实施|落实)")
        .expect("valid pattern")
});

/// `由X负责`.
pub(super) static BY_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"由([^,;。()\n]{2,80}?)负责").expect("valid pattern"));

pub(super) fn is_cn_digit(c: char) -> bool {
    "〇零一二三四五六七八九十百两".contains(c)
}

/// `(一)` or `(1)`, given the text after the opening bracket.
pub(super) fn paren_marker(inner: &str) -> Option<(Style, i32, usize)> {
    let close = inner.char_indices().take(6).find(|(_, c)| *c == ')')?.0;
    let number = &inner[..close];
    let style = if number.chars().all(is_cn_digit) {
        Style::ParenCn
    } else if number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit()) {
        Style::ParenArabic
    } else {
        return None;
    };
    Some((style, seq_number(number)?, close + 2))
}

/// A numbering mark at the start of `text`: style, number and the mark's length in bytes.
pub(super) fn parse_marker(text: &str) -> Option<(Style, i32, usize)> {
    if let Some(inner) = text.strip_prefix('(') {
        return paren_marker(inner);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &text[digits..];
        let (style, mark) = match rest.chars().next() {
            Some('.') => (Style::ArabicDot, 1),
            Some('、') => (Style::ArabicComma, '、'.len_utf8()),
            _ => return None,
        };
        if rest[mark..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((style, text[..digits].parse().ok()?, digits + mark));
    }
    let cn: usize = text.chars().take_while(|c| is_cn_digit(*c)).take(4).map(char::len_utf8).sum();
    let rest = text.get(cn..)?;
    (cn > 0 && rest.starts_with('、'))
        .then(|| Some((Style::CnComma, chinese_number(&text[..cn])?, cn + '、'.len_utf8())))
        .flatten()
}

/// A stretch of one line: a whole line, or the part of it from a numbering mark on.
pub(super) struct Piece<'a> {
    pub(super) line: usize,
    pub(super) text: &'a str,
}

pub(super) fn boundary_before(prev: Option<char>) -> bool {
    prev.is_some_and(|c| c.is_whitespace() || "。;:!?)」”》".contains(c))
}

/// Lines, split again before numbering marks that follow punctuation outside brackets, so that
/// a plan pasted as one line still falls apart into items.
pub(super) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let (mut start, mut depth, mut prev) = (0, 0usize, None);
        for (i, c) in line.char_indices() {
            if depth == 0 && i > start && boundary_before(prev) && parse_marker(&line[i..]).is_some() {
                out.push(Piece { line: index + 1, text: &line[start..i] });
                start = i;
            }
            depth = match c {
                '(' | '[' | '【' => depth + 1,
                ')' | ']' | '】' => depth.saturating_sub(1),
                _ => depth,
            };
            prev = Some(c);
        }
        out.push(Piece { line: index + 1, text: &line[start..] });
    }
    out
}

/// A numbering mark found at the start of a piece.
pub(super) struct Mark {
    pub(super) piece: usize,
    pub(super) style: Style,
    pub(super) seq: i32,
    pub(super) body_start: usize,
}

/// A numbered item with its text (mark removed, sub-items included).
pub(super) struct Item {
    pub(super) seq: i32,
    pub(super) line: usize,
    pub(super) text: String,
    pub(super) has_units: bool,
}

pub(super) fn find_marks(pieces: &[Piece<'_>]) -> Vec<Mark> {
    pieces
        .iter()
        .enumerate()
        .filter_map(|(piece, p)| {
            let trimmed = p.text.trim_start();
            let (style, seq, len) = parse_marker(trimmed)?;
            let body_start = p.text.len() - trimmed.len() + len;
            Some(Mark { piece, style, seq, body_start })
        })
        .collect()
}

/// Items of one style: each runs to the next mark of the same or a higher level, or `end`.
pub(super) fn items_of(style: Style, marks: &[Mark], order: &[Style], pieces: &[Piece<'_>], end: usize) -> Vec<Item> {
    let rank = |s: Style| order.iter().position(|o| *o == s).unwrap_or(usize::MAX);
    let mut items = Vec::new();
    for (k, mark) in marks.iter().enumerate().filter(|(_, m)| m.style == style) {
        let next = marks[k + 1..].iter().find(|m| rank(m.style) <= rank(style)).map_or(end, |m| m.piece).min(end);
        let first = &pieces[mark.piece];
        let mut text = first.text[mark.body_start..].to_string();
        for piece in pieces.get(mark.piece + 1..next).unwrap_or_default() {
            text.push('\n');
            text.push_str(piece.text);
        }
        let has_units = item_units(&text).is_some();
        items.push(Item { seq: mark.seq, line: first.line, text, has_units });
    }
    items
}

/// Numbered items: picks the numbering level whose items carry units.
pub(super) fn parse_items(text: &str) -> RowsOutcome {
    let pieces = pieces(text);
    let marks = find_marks(&pieces);
    let first = marks.first().map_or(0, |m| m.piece);
    let end = (first..pieces.len()).find(|&i| is_footer(pieces[i].text)).unwrap_or(pieces.len());
    let mut order: Vec<Style> = Vec::new();
    for mark in marks.iter().filter(|m| m.piece < end) {
        if !order.contains(&mark.style) {
            order.push(mark.style);
        }
    }
    let best = order
        .iter()
        .enumerate()
        .map(|(rank, s)| (rank, items_of(*s, &marks, &order, &pieces, end)))
        .max_by_key(|(rank, items)| {
            let with = items.iter().filter(|i| i.has_units).count();
            (with, with * 1000 / items.len().max(1), std::cmp::Reverse(*rank))
        })
        .map(|(_, items)| items)
        .unwrap_or_default();
    tasks_from_items(best)
}

/// Items between the first and the last that carry units become tasks.
pub(super) fn tasks_from_items(items: Vec<Item>) -> RowsOutcome {
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let first = items.iter().position(|i| i.has_units);
    let last = items.iter().rposition(|i| i.has_units);
    let (Some(first), Some(last)) = (first, last) else {
        return RowsOutcome { tasks, warnings };
    };
    for item in &items[first..=last] {
        if !item.has_units {
            let msg = format!("第 {} 项没有找到负责单位", item.seq);
            warnings.push(warning(item.line, "ROW_INCOMPLETE", msg));
        }
        tasks.push(item_task(item));
    }
    RowsOutcome { tasks, warnings }
}

/// Turns one item into a task: title and measures before the units, schedule from labels.
pub(super) fn item_task(item: &Item) -> RawTask {
    let text = item.text.as_str();
    let (cut, units) = item_units(text).unwrap_or((text.len(), UnitSpec::Listed(Vec::new())));
    let mut body = text[..cut].to_string();
    for label in find_labels(text).iter().rev().filter(|l| l.span.end <= cut) {
        body.replace_range(label.span.clone(), "");
    }
    let mut lines = body.split('\n').map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap_or_default().trim_end_matches(['。', ';', ',', ':', ' ']).to_string();
    let rest: Vec<&str> = lines.collect();
    let labelled_measures = label_text(text, super::super::units::LabelKind::Measures);
    RawTask {
        seq: item.seq,
        title,
        measures: if labelled_measures.is_empty() { rest.join("\n") } else { labelled_measures },
        units,
        schedule: label_text(text, super::super::units::LabelKind::Schedule),
        line: item.line,
    }
}

/// Where an item's units start and what they say: a units parenthesis, label lines, or a
/// `由X会同Y负责` clause.
pub(super) fn item_units(text: &str) -> Option<(usize, UnitSpec)> {
    if let Some(found) = units_paren(text) {
        return Some(found);
    }
    let labels = find_labels(text);
    if labels.iter().any(|l| l.kind.is_unit()) {
        let cut = labels.first().map_or(0, |l| l.span.start);
        return super::super::units::labelled_spec(&text[cut..]).map(|spec| (cut, spec));
    }
    by_clause(text)
}

/// The last bracket group whose content reads as units.
pub(super) fn units_paren(text: &str) -> Option<(usize, UnitSpec)> {
    const NOTES: [&str; 6] = ["下同", "首位", "第一位", "排名第一", "排在第一", "列在"];
    super::super::units::bracket_groups(text).into_iter().rev().find_map(|group| {
        let inner = text.get(group.clone())?;
        let open = inner.chars().next()?.len_utf8();
        let close = inner.chars().next_back()?.len_utf8();
        let content = inner.get(open..inner.len().checked_sub(close)?)?;
        if NOTES.iter().any(|n| content.contains(n)) {
            return None;
        }
        let spec = parse_units_cell(content)?;
        match &spec {
            UnitSpec::Explicit { .. } => Some((group.start, spec)),
            UnitSpec::Listed(names) => names.iter().all(|n| looks_like_unit(n)).then_some((group.start, spec)),
        }
    })
}

/// Whether a name ends like a government unit (`…局`, `…委`, `…办`, `…部门`, `…中心` …).
pub(super) fn looks_like_unit(name: &str) -> bool {
    name.chars().count() >= 2
        && name.chars().next_back().is_some_and(|c| "局委办府院会社行队所部室处厅站团馆署组台厂校心司联".contains(c))
        || name.ends_with("单位")
}

/// `由X会同Y负责`, `由X牵头,Y配合`, `由X负责` in running text.
pub(super) fn by_clause(text: &str) -> Option<(usize, UnitSpec)> {
    if let Some(caps) = BY_WITH.captures(text) {
        let leads = split_units(caps.get(1)?.as_str());
        let supporting = split_units(caps.get(2)?.as_str());
        let start = caps.get(0)?.start();
        return Some((start, UnitSpec::Explicit { leads, supporting }));
    }
    let caps = BY_ONLY.captures(text)?;
    let names = split_units(caps.get(1)?.as_str());
    (!names.is_empty() && names.iter().all(|n| looks_like_unit(n)))
        .then(|| Some((caps.get(0)?.start(), UnitSpec::Listed(names))))
        .flatten()
}
