//! Units cells: splitting a cell into unit names, dropping rule notes, and reading who leads.
//!
//! A cell comes in one of four shapes, tried in this order by [`parse_units_cell`]:
//! labelled (`牵头单位:X;配合单位:A、B`), marked (`X(牵头)、A、B`), verb clauses
//! (`X、Y牵头,A负责`, `X会同A负责`) and a plain list (`X、A、B`).

use super::clean::{fold_width, to_simplified};
use super::rows::UnitSpec;
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What a `X单位:` label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// `牵头单位:` and friends.
    Lead,
    /// `配合单位:`, `协同责任单位:` …
    Supporting,
    /// `责任单位:`: listed units, first one leads unless the plan says otherwise.
    Responsible,
    /// `完成时限:`, `时间进度:` …
    Schedule,
    /// `落实措施:` …
    Measures,
}

/// Labels, longest alternatives first so that `牵头责任单位` never reads as `责任单位`.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(牵头责任单位|牵头负责单位|牵头单位|牵头部门|主责单位|协同责任单位|配合责任单位|配合单位|配合部门|协办单位|参与单位|协同单位|协助单位|责任单位|责任部门|负责单位|承办单位|时间进度|完成时限|完成时间|时限要求|进度安排|时间要求|时间节点|落实措施|工作措施|具体措施)\s*:",
    )
    .expect("label pattern is valid")
});

/// Verbs that end a clause such as `县民政局牵头` or `县财政局配合`.
static VERB: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"牵头|负责|配合|参与|协办|协助|协同").expect("valid"));

/// One label found in a text, with the value that follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// What the label introduces.
    pub kind: LabelKind,
    /// Byte range of the label and its value in the text.
    pub span: Range<usize>,
    /// The value, up to the next label, line break or `。`.
    pub value: String,
}

impl LabelKind {
    /// Whether the label introduces units (lead, supporting or responsible).
    pub fn is_unit(self) -> bool {
        matches!(self, Self::Lead | Self::Supporting | Self::Responsible)
    }
}

fn label_kind(name: &str) -> LabelKind {
    match name {
        "牵头责任单位" | "牵头负责单位" | "牵头单位" | "牵头部门" | "主责单位" => {
            LabelKind::Lead
        }
        "责任单位" | "责任部门" | "负责单位" | "承办单位" => LabelKind::Responsible,
        "落实措施" | "工作措施" | "具体措施" => LabelKind::Measures,
        n if n.starts_with("时") || n.starts_with("完") || n.starts_with("进") => LabelKind::Schedule,
        _ => LabelKind::Supporting,
    }
}

/// Every label in `text` with its value (up to the next label, a line break or `。`).
pub fn find_labels(text: &str) -> Vec<Label> {
    let hits: Vec<_> = LABEL.captures_iter(text).collect();
    let mut labels = Vec::with_capacity(hits.len());
    for (i, caps) in hits.iter().enumerate() {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let next = hits.get(i + 1).and_then(|c| c.get(0)).map_or(text.len(), |m| m.start());
        let rest = &text[whole.end()..next];
        let cut = rest.find(['\n', '。', ';']).unwrap_or(rest.len());
        let value = rest[..cut].trim().trim_end_matches([';', ',', ')']).trim();
        labels.push(Label {
            kind: label_kind(name.as_str()),
            span: whole.start()..whole.end() + cut,
            value: value.to_string(),
        });
    }
    labels
}

/// Top-level balanced bracket groups (`(…)`, `（…）`, `[…]`, `【…】`) as byte ranges including
/// the brackets. Unbalanced brackets are ignored.
pub fn bracket_groups(text: &str) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        if is_open(c) {
            if depth == 0 {
                start = i;
            }
            depth += 1;
        } else if is_close(c) && depth > 0 {
            depth -= 1;
            if depth == 0 {
                groups.push(start..i + c.len_utf8());
            }
        }
    }
    groups
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '【')
}

fn is_close(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '】')
}

/// Whether a bracket's content is a rule about the list rather than a unit, e.g.
/// `县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同`.
pub fn is_rule_note(content: &str) -> bool {
    const MARKS: [&str; 10] =
        ["牵头", "首位", "下同", "按职责", "分工负责", "排名第一", "排在第一", "第一位", "主责", "主办"];
    MARKS.iter().any(|m| content.contains(m))
}

/// Removes bracket groups that are rule notes (see [`is_rule_note`]).
pub fn strip_rule_notes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for group in bracket_groups(text) {
        if is_rule_note(&text[group.clone()]) {
            out.push_str(&text[last..group.start]);
            last = group.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Splits on separators outside brackets, without touching the parts.
fn split_raw(cell: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, c) in cell.char_indices() {
        if is_open(c) {
            depth += 1;
        } else if is_close(c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && matches!(c, '、' | ',' | '，' | ';' | '；' | '\n') {
            parts.push(&cell[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&cell[start..]);
    parts
}

/// Trims punctuation and a trailing `等`/`等部门`/`等单位` from one name.
fn tidy_name(part: &str) -> String {
    let name = strip_rule_notes(part);
    let name =
        name.trim().trim_matches(|c: char| c.is_whitespace() || matches!(c, '。' | ':' | '：' | '.' | '"' | '“' | '”'));
    let name = name.strip_prefix('由').unwrap_or(name);
    for suffix in ["等有关部门", "等部门", "等单位", "等"] {
        if let Some(stripped) = name.strip_suffix(suffix)
            && !stripped.is_empty()
        {
            return stripped.to_string();
        }
    }
    name.to_string()
}

/// Splits a units cell on `、`, `,`, `，`, `;` — never inside brackets (`各县(市、区)政府` is one name) — trims,
/// and drops rule notes such as `(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)`.
pub fn split_units(cell: &str) -> Vec<String> {
    split_raw(cell).into_iter().map(tidy_name).filter(|name| !name.is_empty()).collect()
}

/// Matching key for a unit name: simplified script, half-width brackets, no whitespace.
pub fn normalize_name(name: &str) -> String {
    fold_width(&to_simplified(name)).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reads who leads from one units cell or units parenthesis (without the outer brackets).
/// Returns `None` when the cell names no unit at all.
pub fn parse_units_cell(cell: &str) -> Option<UnitSpec> {
    if let Some(spec) = labelled_spec(cell) {
        return Some(spec);
    }
    if let Some(spec) = marked_spec(cell) {
        return Some(spec);
    }
    let cell = strip_rule_notes(cell);
    if let Some(spec) = clause_spec(&cell) {
        return Some(spec);
    }
    let units = split_units(&cell);
    (!units.is_empty()).then_some(UnitSpec::Listed(units))
}

/// Builds a spec from leads, supporting and responsible lists.
fn assemble(leads: Vec<String>, supporting: Vec<String>, listed: Vec<String>) -> Option<UnitSpec> {
    if leads.is_empty() {
        let all: Vec<String> = listed.into_iter().chain(supporting).collect();
        return (!all.is_empty()).then_some(UnitSpec::Listed(dedupe(all)));
    }
    let mut rest: Vec<String> = Vec::new();
    for name in supporting.into_iter().chain(listed) {
        if !leads.contains(&name) && !rest.contains(&name) {
            rest.push(name);
        }
    }
    Some(UnitSpec::Explicit { leads: dedupe(leads), supporting: rest })
}

fn dedupe(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `牵头单位:X;配合单位:A、B` and `责任单位:A、B`; `None` without unit labels.
pub fn labelled_spec(cell: &str) -> Option<UnitSpec> {
    let (mut leads, mut supporting, mut listed) = (Vec::new(), Vec::new(), Vec::new());
    for label in find_labels(cell) {
        let names = split_units(&label.value);
        match label.kind {
            LabelKind::Lead => leads.extend(names),
            LabelKind::Supporting => supporting.extend(names),
            LabelKind::Responsible => listed.extend(names),
            LabelKind::Schedule | LabelKind::Measures => {}
        }
    }
    assemble(leads, supporting, listed)
}

/// `县民政局(牵头)、县财政局`: a bracket right after a name marks it as lead.
fn marked_spec(cell: &str) -> Option<UnitSpec> {
    const MARKS: [&str; 5] = ["(牵头)", "(牵头单位)", "(牵头部门)", "(主责)", "(牵头负责)"];
    let (mut leads, mut rest) = (Vec::new(), Vec::new());
    for part in split_raw(&fold_width(cell)) {
        let part = part.trim();
        match MARKS.iter().find_map(|m| part.strip_suffix(m)) {
            Some(name) => leads.push(tidy_name(name)),
            None => rest.push(tidy_name(part)),
        }
    }
    if leads.is_empty() {
        return None;
    }
    rest.retain(|n| !n.is_empty());
    assemble(leads, rest, Vec::new())
}

/// `X、Y牵头,A、B负责`, `X牵头,A配合`, `由X会同A负责`, `A、B负责`.
fn clause_spec(cell: &str) -> Option<UnitSpec> {
    let (mut leads, mut supporting, mut listed) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = 0;
    for verb in VERB.find_iter(cell) {
        let next = cell[verb.end()..].chars().next();
        if !matches!(next, None | Some(',' | ';' | '。' | '\n' | '、')) {
            continue;
        }
        let clause = trim_clause(&cell[last..verb.start()]);
        last = verb.end();
        if let Some((lead, support)) = clause.split_once("会同") {
            leads.extend(split_units(lead));
            supporting.extend(split_units(support));
            continue;
        }
        let names = split_units(clause);
        match verb.as_str() {
            "牵头" => leads.extend(names),
            "负责" => listed.extend(names),
            _ => supporting.extend(names),
        }
    }
    let tail = cell[last..].trim_matches(|c: char| c.is_whitespace() || ",;。、".contains(c));
    if last == 0 || !tail.is_empty() {
        return None;
    }
    assemble(leads, supporting, listed)
}

fn trim_clause(clause: &str) -> &str {
    let mut clause = clause.trim_matches(|c: char| c.is_whitespace() || ",;。、".contains(c));
    clause = clause.strip_prefix('由').unwrap_or(clause);
    for suffix in ["按照职责分工", "按职责分工", "按职责", "分别", "共同", "具体", "组织"] {
        clause = clause.strip_suffix(suffix).unwrap_or(clause);
    }
    clause
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn splits_on_all_separators_and_keeps_brackets() {
        assert_eq!(
            split_units("县民政局、县财政局,各县(市、区)政府;县统计局，县卫生局"),
            names(&["县民政局", "县财政局", "各县(市、区)政府", "县统计局", "县卫生局"])
        );
    }

    #[test]
    fn drops_the_rule_note() {
        let cell = "县民政局、县发展改革委、县财政局、县政府其他有关部门,各镇人民政府(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)";
        assert_eq!(
            split_units(cell),
            names(&["县民政局", "县发展改革委", "县财政局", "县政府其他有关部门", "各镇人民政府"])
        );
    }

    #[test]
    fn normalizes_names_for_matching() {
        assert_eq!(normalize_name(" 縣民政局 "), "县民政局");
        assert_eq!(normalize_name("各县（市、区） 政府"), "各县(市、区)政府");
    }

    #[test]
    fn reads_labels() {
        let spec = parse_units_cell("牵头单位:县民政局;配合单位:县财政局、县统计局");
        assert_eq!(
            spec,
            Some(UnitSpec::Explicit {
                leads: names(&["县民政局"]), supporting: names(&["县财政局", "县统计局"])
            })
        );
        let spec = parse_units_cell("牵头单位:县民政局,配合单位:县财政局");
        assert_eq!(spec, Some(UnitSpec::Explicit { leads: names(&["县民政局"]), supporting: names(&["县财政局"]) }));
    }

    #[test]
    fn reads_marks_and_clauses() {
        let marked = parse_units_cell("县民政局(牵头)、县财政局");
        let clause = parse_units_cell("县民政局、县卫生局牵头,县财政局负责");
        let with = parse_units_cell("由县民政局会同县财政局、县统计局负责");
        let expect =
            |leads: &[&str], sup: &[&str]| Some(UnitSpec::Explicit { leads: names(leads), supporting: names(sup) });
        assert_eq!(marked, expect(&["县民政局"], &["县财政局"]));
        assert_eq!(clause, expect(&["县民政局", "县卫生局"], &["县财政局"]));
        assert_eq!(with, expect(&["县民政局"], &["县财政局", "县统计局"]));
        assert_eq!(
            parse_units_cell("县民政局、县财政局负责"),
            Some(UnitSpec::Listed(names(&["县民政局", "县财政局"])))
        );
    }

    #[test]
    fn plain_list_with_note_is_listed() {
        let spec = parse_units_cell(
            "县民政局、县政府其他有关部门,各镇人民政府(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)",
        );
        assert_eq!(spec, Some(UnitSpec::Listed(names(&["县民政局", "县政府其他有关部门", "各镇人民政府"]))));
        assert_eq!(parse_units_cell(" 、, "), None);
    }

    proptest! {
        #[test]
        fn split_units_never_panics(s in "\\PC*") {
            let _ = split_units(&s);
            let _ = parse_units_cell(&s);
            let _ = normalize_name(&s);
        }

        #[test]
        fn split_units_on_bracket_soup(s in "[()（）【】、,;牵头负责会同由局县:单位\\n]{0,60}") {
            for name in split_units(&s) {
                prop_assert!(!name.is_empty());
            }
            let _ = parse_units_cell(&s);
        }
    }
}
