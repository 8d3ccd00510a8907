//! Units cells: splitting a cell into unit names, dropping rule notes, and reading who leads.
//!
//! A cell comes in one of four shapes, tried in this order by [`parse_units_cell`]:
//! labelled (`牵头单位:X;配合单位:A、B`), marked (`X(牵头)、A、B`), verb clauses
//! (`X、Y牵头,A负责`, `X会同A负责`) and a plain list (`X、A、B`).

use super::clean::{fold_width, to_simplified};
use super::rows::UnitSpec;
use regex::Regex;
use std::sync::LazyLock;

pub use super::labels::{Label, LabelKind, bracket_groups, find_labels, is_close, is_open};
use super::notes::strip_note_sentences;
pub use super::notes::{document_notes, is_aside, is_not_exhaustive, is_rule_note, strip_asides, strip_rule_notes};

/// Verbs that end a clause such as `县民政局牵头` or `县财政局配合`.
static VERB: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"牵头|负责|配合|参与|协办|协助|协同").expect("valid"));

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
        } else if depth == 0 && is_separator(cell, i, c, start) {
            parts.push(&cell[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&cell[start..]);
    parts
}

/// Whether `c` at `i` separates two entries: list punctuation, or `及`/`和`/`与` before a group.
fn is_separator(cell: &str, i: usize, c: char, start: usize) -> bool {
    matches!(c, '、' | ',' | '，' | ';' | '；' | '\n')
        || matches!(c, '及' | '和' | '与') && i > start && GROUP_FOLLOWS.is_match(&cell[i + c.len_utf8()..])
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
    // `区司法局等有关部门`: the named unit counts; the tail is a catch-all, kept as a warning
    // (the list is not exhaustive), never as a unit.
    match CATCH_ALL_TAIL.find(name) {
        Some(tail) if tail.start() > 0 => name[..tail.start()].to_string(),
        _ => name.to_string(),
    }
}

/// `等`, `等有关部门`, `等各有关单位`, `等其他相关部门和单位` at the end of a name.
static CATCH_ALL_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"等(?:各|其他|其它)?(?:有关|相关)?(?:部门|单位|机构)?(?:和|及|与)?(?:部门|单位|机构)?$")
        .expect("valid pattern")
});

/// A bare level of government after a `各` entry: `各区、县级市` means 各区 and 各县级市.
static BARE_LEVEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:县级市|县市区|县区|市县|市区|县市|区县|县|区|市|乡镇|乡|镇|街道|旗|开发区|园区)(?:人民政府|政府)?$",
    )
    .expect("valid pattern")
});

/// Splits a units cell on `、`, `,`, `，`, `;` — never inside brackets (`各县(市、区)政府` is one name) — trims,
/// and drops rule notes such as `(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)`.
pub fn split_units(cell: &str) -> Vec<String> {
    let cell = strip_note_sentences(&strip_asides(&strip_rule_notes(cell)));
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

    #[test]
    fn role_phrases_deng_and_joined_groups_are_not_names() {
        assert_eq!(split_units("市司法局、市公安局按职责分工负责"), names(&["市司法局", "市公安局"]));
        assert_eq!(split_units("市政务服务中心、市大数据局分别负责"), names(&["市政务服务中心", "市大数据局"]));
        assert_eq!(
            split_units("县应急管理局、县卫生健康局等,各乡(镇、街道)人民政府(办事处)"),
            names(&["县应急管理局", "县卫生健康局", "各乡(镇、街道)人民政府(办事处)"])
        );
        assert_eq!(split_units("省直有关部门及各地"), names(&["省直有关部门", "各地"]));
        assert_eq!(split_units("区财政局、区司法局等有关部门"), names(&["区财政局", "区司法局"]));
        assert_eq!(split_units("区民政局等各有关单位"), names(&["区民政局"]));
        assert_eq!(split_units("区民政局、区财政局等其他相关部门和单位"), names(&["区民政局", "区财政局"]));
        assert_eq!(split_units("区民政局、区财政局及各有关单位"), names(&["区民政局", "区财政局", "各有关单位"]));
        assert_eq!(split_units("县发展和改革局、县财政局"), names(&["县发展和改革局", "县财政局"]));
        assert_eq!(split_units("各区、县级市"), names(&["各区", "各县级市"]));
        assert_eq!(split_units("各县、市、区人民政府"), names(&["各县", "各市", "各区人民政府"]));
    }

    #[test]
    fn a_responsible_label_with_verbs_says_who_leads() {
        let spec = parse_units_cell("责任单位:市发展改革委牵头,市市场监管局、市财政局配合");
        let expected = UnitSpec::Explicit {
            leads: names(&["市发展改革委"]),
            supporting: names(&["市市场监管局", "市财政局"]),
        };
        assert_eq!(spec, Some(expected));
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
