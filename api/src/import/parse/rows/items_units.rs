//! Who is responsible for one numbered item: a units parenthesis, label lines, or a
//! `由X会同Y负责` clause — and the schedule a units parenthesis may carry along.

use super::super::schedule::find_schedule;
use super::super::units::{
    LabelKind, bracket_groups, find_labels, is_aside, labelled_spec, parse_units_cell, split_units,
};
use super::UnitSpec;
use regex::Regex;
use std::sync::LazyLock;

/// `由X会同Y负责`, `由X牵头,Y配合`.
static BY_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"由([^,;。()\n]{2,60}?)(?:会同|牵头,?)([^。;()\n]{2,200}?)(?:共同)?(?:负责|配合|参与|实施|落实)")
        .expect("valid pattern")
});

/// `由X负责`.
static BY_ONLY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"由([^,;。()\n]{2,80}?)负责").expect("valid pattern"));

/// An item's units as found in its text.
#[derive(Debug, Clone)]
pub(super) struct ItemUnits {
    /// Where the units start: the title and measures end here.
    pub(super) cut: usize,
    /// Who is responsible.
    pub(super) spec: UnitSpec,
    /// The text the units were read from (to tell a list ending in `等`).
    pub(super) text: String,
    /// A schedule that stood in the units parenthesis (`(省直各部门分别负责,年内完成)`).
    pub(super) schedule: String,
}

/// The item's units: a units parenthesis, label lines, or a `由X会同Y负责` clause.
pub(super) fn item_units(text: &str) -> Option<ItemUnits> {
    let labels = find_labels(text);
    let label_spans: Vec<_> = labels.iter().filter(|l| l.kind.is_unit()).map(|l| l.span.clone()).collect();
    if let Some(found) = units_paren(text, &label_spans) {
        return Some(found);
    }
    if !label_spans.is_empty() {
        let cut = labels.first().map_or(0, |l| l.span.start);
        let values: Vec<&str> = labels.iter().filter(|l| l.kind.is_unit()).map(|l| l.value.as_str()).collect();
        let spec = labelled_spec(&text[cut..])?;
        return Some(ItemUnits { cut, spec, text: values.join(";"), schedule: String::new() });
    }
    by_clause(text)
}

/// The last bracket group whose content reads as units; groups inside a unit label's value
/// belong to a name (`各乡(镇、街道)人民政府(办事处)`, `县发改局(粮食局)`) and are skipped.
fn units_paren(text: &str, label_spans: &[std::ops::Range<usize>]) -> Option<ItemUnits> {
    const NOTES: [&str; 6] = ["下同", "首位", "第一位", "排名第一", "排在第一", "列在"];
    bracket_groups(text).into_iter().rev().find_map(|group| {
        if label_spans.iter().any(|s| s.start < group.start && group.end <= s.end + 3) {
            return None;
        }
        let inner = text.get(group.clone())?;
        let open = inner.chars().next()?.len_utf8();
        let close = inner.chars().next_back()?.len_utf8();
        let content = inner.get(open..inner.len().checked_sub(close)?)?;
        let has_labels = find_labels(content).iter().any(|l| l.kind.is_unit());
        // `(以下简称在线平台)`, `(含临时救助)`: a short name or a scope, never units.
        if is_aside(content) || !has_labels && NOTES.iter().any(|n| content.contains(n)) {
            return None;
        }
        let (units, schedule) = split_schedule(content);
        let spec = parse_units_cell(&units)?;
        let unit_like = match &spec {
            UnitSpec::Explicit { .. } => true,
            UnitSpec::Listed(names) => names.iter().all(|n| looks_like_unit(n)),
        };
        unit_like.then_some(ItemUnits { cut: group.start, spec, text: units, schedule })
    })
}

/// Splits a parenthesis into its units and its schedule: clauses that state a schedule and do
/// not read as units (`年内完成`) go to the schedule.
fn split_schedule(content: &str) -> (String, String) {
    let (mut units, mut schedule) = (Vec::new(), Vec::new());
    for clause in content.split([',', ';', '，', '；']) {
        let names = split_units(clause);
        let is_units = !names.is_empty() && names.iter().all(|n| looks_like_unit(n));
        if !is_units && find_schedule(clause).is_some() && !has_unit_label(clause) {
            schedule.push(clause.trim());
        } else {
            units.push(clause);
        }
    }
    (units.join(","), schedule.join(","))
}

fn has_unit_label(clause: &str) -> bool {
    find_labels(clause).iter().any(|l| l.kind.is_unit() || l.kind == LabelKind::Schedule)
}

/// Whether a name reads like a government unit (`…局`, `…委`, `…办`, `…部门`, `…中心`, `各…`).
pub(super) fn looks_like_unit(name: &str) -> bool {
    name.chars().count() >= 2
        && (name.chars().next_back().is_some_and(|c| "局委办府院会社行队所部室处厅站团馆署组台厂校心司联".contains(c))
            || name.starts_with('各')
            || ["单位", "部门", "机构", "乡镇", "街道", "县区"].iter().any(|s| name.ends_with(s)))
}

/// `由X会同Y负责`, `由X牵头,Y配合`, `由X负责` in running text.
fn by_clause(text: &str) -> Option<ItemUnits> {
    if let Some(caps) = BY_WITH.captures(text) {
        let leads = split_units(caps.get(1)?.as_str());
        let supporting = split_units(caps.get(2)?.as_str());
        let whole = caps.get(0)?;
        let spec = UnitSpec::Explicit { leads, supporting };
        return Some(ItemUnits { cut: whole.start(), spec, text: whole.as_str().to_string(), schedule: String::new() });
    }
    let caps = BY_ONLY.captures(text)?;
    let names = split_units(caps.get(1)?.as_str());
    let whole = caps.get(0)?;
    (!names.is_empty() && names.iter().all(|n| looks_like_unit(n))).then(|| ItemUnits {
        cut: whole.start(),
        spec: UnitSpec::Listed(names),
        text: whole.as_str().to_string(),
        schedule: String::new(),
    })
}
