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
    /// `分管领导:`, `责任领导:`: a person (name and title), never a unit.
    Leader,
}

/// Labels, longest alternatives first so that `牵头责任单位` never reads as `责任单位`.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(牵头负责领导|牵头领导|分管县领导|分管领导|责任领导|县级领导|牵头责任单位|牵头负责单位|牵头科室\(单位\)|牵头科室|牵头单位|牵头部门|主责单位|协同责任单位|配合责任单位|配合单位|配合部门|协办单位|数据提供单位|参与单位|协同单位|协助单位|责任单位|责任部门|责任科室|负责单位|承办单位|时间进度|完成时限|完成时间|时限要求|进度安排|时间要求|时间节点|落实措施|工作措施|具体措施|主要措施)\s*:",
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
        "牵头责任单位" | "牵头负责单位" | "牵头单位" | "牵头部门" | "主责单位" | "牵头科室(单位)" | "牵头科室" => {
            LabelKind::Lead
        }
        "责任单位" | "责任部门" | "责任科室" | "负责单位" | "承办单位" => LabelKind::Responsible,
        "落实措施" | "工作措施" | "具体措施" | "主要措施" => LabelKind::Measures,
        n if n.ends_with("领导") => LabelKind::Leader,
        n if n.starts_with("时") || n.starts_with("完") || n.starts_with("进") => LabelKind::Schedule,
        _ => LabelKind::Supporting,
    }
}

/// Every label in `text` with its value: up to the next label, a line break, `。` or `;`, and
/// never past the bracket group the label stands in (`〔责任单位:A、B〕`).
pub fn find_labels(text: &str) -> Vec<Label> {
    let hits: Vec<_> = LABEL.captures_iter(text).collect();
    let groups = bracket_groups(text);
    let mut labels = Vec::with_capacity(hits.len());
    for (i, caps) in hits.iter().enumerate() {
        let (Some(whole), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let mut next = hits.get(i + 1).and_then(|c| c.get(0)).map_or(text.len(), |m| m.start());
        if let Some(group) = groups.iter().find(|g| g.start < whole.start() && whole.end() < g.end) {
            let closer = text[..group.end].chars().next_back().map_or(0, char::len_utf8);
            next = next.min(group.end - closer);
        }
        let rest = &text[whole.end()..next.max(whole.end())];
        let cut = rest.find(['\n', '。', ';']).unwrap_or(rest.len());
        let value = trim_unbalanced_closers(rest[..cut].trim().trim_end_matches([';', ',']).trim());
        labels.push(Label { kind: label_kind(name.as_str()), span: whole.start()..whole.end() + cut, value });
    }
    labels
}

/// Drops closing brackets at the end that nothing opened: `A、B)` → `A、B`, while a name's own
/// bracket stays (`县发改局(粮食局)`).
fn trim_unbalanced_closers(value: &str) -> String {
    let mut value = value.trim_end();
    loop {
        let opens = value.chars().filter(|c| is_open(*c)).count();
        let closes = value.chars().filter(|c| is_close(*c)).count();
        match value.chars().next_back() {
            Some(c) if is_close(c) && closes > opens => value = value[..value.len() - c.len_utf8()].trim_end(),
            _ => return value.to_string(),
        }
    }
}

/// Top-level balanced bracket groups (`(…)`, `（…）`, `[…]`, `【…】`, `〔…〕`) as byte ranges including
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

/// Opening brackets, `〔` included: some plans wrap a units block in `〔…〕`.
pub fn is_open(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '【' | '〔')
}

/// Closing brackets; any closer ends any opener, because plans mix them (`[牵头单位:…)`).
pub fn is_close(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '】' | '〕')
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

/// Splits on separators outside brackets, without touching the parts. `及`/`和`/`与` separate
/// too when a group or catch-all follows (`省直有关部门及各地`), never inside a name such as
/// `县发展和改革局`.
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
        } else if depth == 0 && matches!(c, '及' | '和' | '与') && i > start && GROUP_FOLLOWS.is_match(&cell[i + c.len_utf8()..]) {
            parts.push(&cell[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&cell[start..]);
    parts
}

/// What may follow `及` when it joins two entries rather than two words of one name.
static GROUP_FOLLOWS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:各|其他|其它|有关|相关|省直|市直|县直)").expect("valid pattern"));

/// Role phrases written after a name (`A、B按职责分工负责`): they say what the units do, not who
/// they are. Longest first.
const ROLE_SUFFIXES: [&str; 12] = [
    "按照职责分工负责",
    "根据职责分工负责",
    "按职责分工负责",
    "按职责分工落实",
    "按职责负责",
    "分别负责",
    "共同负责",
    "负责落实",
    "负责",
    "牵头",
    "配合",
    "参与",
];

/// Trims punctuation, a trailing `等`/`等部门`/`等单位` and role phrases from one name.
fn tidy_name(part: &str) -> String {
    let name = strip_rule_notes(part);
    let mut name =
        name.trim().trim_matches(|c: char| c.is_whitespace() || matches!(c, '。' | ':' | '：' | '.' | '"' | '“' | '”'));
    name = name.strip_prefix('由').unwrap_or(name);
    for suffix in ROLE_SUFFIXES {
        if let Some(stripped) = name.strip_suffix(suffix)
            && stripped.chars().count() >= 2
        {
            name = stripped;
            break;
        }
    }
    for suffix in ["等有关部门", "等相关部门", "等有关单位", "等部门", "等单位", "等"] {
        if let Some(stripped) = name.strip_suffix(suffix)
            && !stripped.is_empty()
        {
            return stripped.to_string();
        }
    }
    name.to_string()
}

/// A bare level of government after a `各` entry: `各区、县级市` means 各区 and 各县级市.
static BARE_LEVEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:县级市|县市区|县区|市县|市区|县市|区县|县|区|市|乡镇|乡|镇|街道|旗|开发区|园区)(?:人民政府|政府)?$")
        .expect("valid pattern")
});

/// Splits a units cell on `、`, `,`, `，`, `;` — never inside brackets (`各县(市、区)政府` is one name) — trims,
/// and drops rule notes such as `(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)`.
pub fn split_units(cell: &str) -> Vec<String> {
    let cell = strip_note_sentences(&strip_rule_notes(cell));
    let mut names: Vec<String> = Vec::new();
    for name in split_raw(&cell).into_iter().map(tidy_name).filter(|name| !name.is_empty()) {
        let after_each = names.last().is_some_and(|last| last.starts_with('各'));
        if after_each && BARE_LEVEL.is_match(&name) {
            names.push(format!("各{name}"));
        } else {
            names.push(name);
        }
    }
    names
}

/// `各县区均为责任单位,不再列出,下同`: a sentence about the whole document, not a unit.
static NOTE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^。;()\[\]〔〕【】\n]*(?:不再(?:一一)?列出|不再重复|下同)[^。;()\[\]〔〕【】\n]*").expect("valid pattern")
});

/// Document-level notes in `text` (`各县区均为责任单位,不再列出,下同`), rules about who leads
/// left out (they are applied, see [`is_rule_note`]).
pub fn document_notes(text: &str) -> Vec<String> {
    NOTE_SENTENCE
        .find_iter(text)
        .map(|m| m.as_str().trim_matches(|c: char| c.is_whitespace() || ",:。".contains(c)).to_string())
        .filter(|note| !note.is_empty() && !is_lead_rule(note))
        .collect()
}

/// Whether a note says who leads (`列在首位的为牵头部门`, `排在首位的为牵头单位`).
fn is_lead_rule(note: &str) -> bool {
    ["首位", "第一位", "排名第一", "排在第一", "牵头"].iter().any(|m| note.contains(m))
}

/// Removes note sentences (see [`document_notes`]) and rule sentences from a units text.
fn strip_note_sentences(text: &str) -> String {
    let text = NOTE_SENTENCE.replace_all(text, "");
    LEAD_RULE_SENTENCE.replace_all(&text, "").into_owned()
}

/// `列第一位者为牵头单位` written as a sentence of its own inside a units text.
static LEAD_RULE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^。;,()、\[\]〔〕【】\n]*(?:首位|第一位|排名第一|排在第一)[^。;,()、\[\]〔〕【】\n]*(?:牵头|主责)(?:单位|部门)")
        .expect("valid pattern")
});

/// `县卫生健康局等`, `…等有关部门`: the plan says its list is not complete.
static NOT_EXHAUSTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{Han})\]】〕]等(?:其他|有关|相关)?(?:部门|单位|机构)?(?:[,、;。)\]】〕\s]|$)").expect("valid pattern")
});

/// Whether a units text ends a list with `等` (`县应急管理局、县卫生健康局等`).
pub fn is_not_exhaustive(units_text: &str) -> bool {
    NOT_EXHAUSTIVE.is_match(units_text)
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
            // `责任单位:X牵头,A、B配合`: the verbs say who leads.
            LabelKind::Responsible => match clause_spec(&strip_rule_notes(&label.value)) {
                Some(UnitSpec::Explicit { leads: l, supporting: s }) => {
                    leads.extend(l);
                    supporting.extend(s);
                }
                _ => listed.extend(names),
            },
            LabelKind::Schedule | LabelKind::Measures | LabelKind::Leader => {}
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
