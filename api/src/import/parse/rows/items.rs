//! Numbered items (`一、`, `(一)`, `1.`, `1、`, `(1)`): pieces of text, their numbering marks,
//! and what one item says (title, measures, units, person, schedule).

use super::super::notice::chinese_number;
use super::super::units::{LabelKind, find_labels, is_close, is_not_exhaustive, is_open};
use super::intext::pick_schedule;
use super::items_units::item_units;
use super::space::is_footer;
use super::table::*;
use super::{RawTask, RowsOutcome, ScheduleSource, UnitSpec};

/// Label values of one kind in a text, joined.
pub(super) fn label_text(text: &str, kind: LabelKind) -> String {
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
/// `1.5倍` is no mark; `7.100个示范村` is a weak one (see [`weak_marker`]).
pub(super) fn parse_marker(text: &str) -> Option<(Style, i32, usize)> {
    let found = any_marker(text)?;
    (!found.3).then_some((found.0, found.1, found.2))
}

/// `7.100个示范村创建工程`: item 7 whose title starts with digits, or a decimal such as `1.5倍`.
/// Only the sequence around it can tell (see `outline::keep_weak_marks`).
pub(super) fn weak_marker(text: &str) -> Option<(Style, i32, usize)> {
    let found = any_marker(text)?;
    found.3.then_some((found.0, found.1, found.2))
}

/// A mark with a flag telling that digits follow a `.` right away.
fn any_marker(text: &str) -> Option<(Style, i32, usize, bool)> {
    if let Some(inner) = text.strip_prefix('(') {
        return paren_marker(inner).map(|(s, n, l)| (s, n, l, false));
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &text[digits..];
        let (style, mark) = match rest.chars().next() {
            Some('.') => (Style::ArabicDot, 1),
            Some('、') => (Style::ArabicComma, '、'.len_utf8()),
            _ => return None,
        };
        // The number is the digits before the separator, never merged with digits after it.
        let weak = style == Style::ArabicDot && rest[mark..].starts_with(|c: char| c.is_ascii_digit());
        return Some((style, text[..digits].parse().ok()?, digits + mark, weak));
    }
    let cn: usize = text.chars().take_while(|c| is_cn_digit(*c)).take(4).map(char::len_utf8).sum();
    let rest = text.get(cn..)?;
    (cn > 0 && rest.starts_with('、'))
        .then(|| Some((Style::CnComma, chinese_number(&text[..cn])?, cn + '、'.len_utf8(), false)))
        .flatten()
}

/// A stretch of one line: a whole line, or the part of it from a numbering mark on.
pub(super) struct Piece<'a> {
    pub(super) line: usize,
    pub(super) text: &'a str,
    /// Whether the piece starts its line.
    pub(super) line_start: bool,
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
                out.push(Piece { line: index + 1, text: &line[start..i], line_start: start == 0 });
                start = i;
            }
            depth = if is_open(c) {
                depth + 1
            } else if is_close(c) {
                depth.saturating_sub(1)
            } else {
                depth
            };
            prev = Some(c);
        }
        out.push(Piece { line: index + 1, text: &line[start..], line_start: start == 0 });
    }
    out
}

/// A numbering mark found at the start of a piece.
#[derive(Debug, Clone)]
pub(super) struct Mark {
    pub(super) piece: usize,
    pub(super) style: Style,
    pub(super) seq: i32,
    pub(super) body_start: usize,
    /// The mark as the outline shows it: `一、`, `(二)`, `3`.
    pub(super) label: String,
    /// `7.100个…`: kept only when the sequence around it agrees.
    pub(super) weak: bool,
}

pub(super) fn find_marks(pieces: &[Piece<'_>]) -> Vec<Mark> {
    pieces
        .iter()
        .enumerate()
        .filter_map(|(piece, p)| {
            let trimmed = p.text.trim_start();
            let (found, weak) = match parse_marker(trimmed) {
                Some(found) => (found, false),
                None if p.line_start => (weak_marker(trimmed)?, true),
                None => return None,
            };
            let (style, seq, len) = found;
            let body_start = p.text.len() - trimmed.len() + len;
            let label = match style {
                Style::ArabicDot | Style::ArabicComma => seq.to_string(),
                _ => trimmed[..len].to_string(),
            };
            Some(Mark { piece, style, seq, body_start, label, weak })
        })
        .collect()
}

/// Numbered items: builds the outline and takes the level whose items carry units.
pub(super) fn parse_items(text: &str) -> RowsOutcome {
    let pieces = pieces(text);
    let marks = super::outline::keep_weak_marks(find_marks(&pieces));
    let first = marks.first().map_or(0, |m| m.piece);
    let end = (first..pieces.len()).find(|&i| is_footer(pieces[i].text)).unwrap_or(pieces.len());
    let marks: Vec<Mark> = marks.into_iter().filter(|m| m.piece < end).collect();
    super::outline::tasks_of(&marks, &pieces, end)
}

/// What one item's text says.
pub(super) struct ItemFields {
    pub(super) title: String,
    pub(super) measures: String,
    /// `None` when the item names no units.
    pub(super) units: Option<UnitSpec>,
    pub(super) not_exhaustive: bool,
    pub(super) leader: Option<String>,
    pub(super) schedule: String,
    pub(super) schedule_source: ScheduleSource,
}

/// Title and measures before the units, units, person and schedule of one item's text.
pub(super) fn item_fields(text: &str) -> ItemFields {
    let found = item_units(text);
    let cut = found.as_ref().map_or(text.len(), |f| f.cut);
    let mut body = text[..cut].to_string();
    for label in find_labels(text).iter().rev().filter(|l| l.span.end <= cut) {
        body.replace_range(label.span.clone(), "");
    }
    let mut lines = body.split('\n').map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap_or_default().trim_end_matches(['。', ';', ',', ':', ' ']).to_string();
    let rest: Vec<&str> = lines.collect();
    let labelled = label_text(text, LabelKind::Measures);
    let measures = if labelled.is_empty() { rest.join("\n") } else { labelled };
    let paren = found.as_ref().map_or("", |f| f.schedule.as_str());
    let (schedule, schedule_source) = pick_schedule(&label_text(text, LabelKind::Schedule), paren, &title, &measures);
    let leader = Some(label_text(text, LabelKind::Leader)).filter(|l| !l.is_empty());
    ItemFields {
        title,
        measures,
        not_exhaustive: found.as_ref().is_some_and(|f| is_not_exhaustive(&f.text)),
        units: found.map(|f| f.spec),
        leader,
        schedule,
        schedule_source,
    }
}

impl ItemFields {
    /// The task, numbered `seq`, written `number` in the plan.
    pub(super) fn into_task(self, seq: i32, number: String, line: usize) -> RawTask {
        RawTask {
            seq,
            number,
            parent: None,
            title: self.title,
            measures: self.measures,
            units: self.units.unwrap_or(UnitSpec::Listed(Vec::new())),
            leader: self.leader,
            schedule: self.schedule,
            schedule_source: self.schedule_source,
            units_not_exhaustive: self.not_exhaustive,
            line,
        }
    }
}
