//! Notes inside units texts: rules about who leads (applied, never units), document-level
//! notes (`各县区均为责任单位,不再列出,下同`, kept as warnings) and lists ending in `等`.

use super::labels::bracket_groups;
use regex::Regex;
use std::sync::LazyLock;

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

/// Whether a bracket's content defines a short name or a scope rather than naming a unit:
/// `以下简称在线平台`, `简称“法治进社区”`, `含临时救助`, `不含棚户区改造项目`.
pub fn is_aside(content: &str) -> bool {
    const OPENINGS: [&str; 9] = ["以下简称", "以下称", "下称", "简称", "含", "不含", "包括", "不包括", "包含"];
    let content = content.trim_start_matches(['(', '（', '[', '【', '〔', ' ']);
    OPENINGS.iter().any(|o| content.starts_with(o))
}

/// Removes bracket groups that are asides (see [`is_aside`]): `县人社局(含县就业局)` is `县人社局`.
pub fn strip_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for group in bracket_groups(text) {
        if group.start >= last && is_aside(&text[group.clone()]) {
            out.push_str(&text[last..group.start]);
            last = group.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// `各县区均为责任单位,不再列出,下同`: a sentence about the whole document, not a unit.
static NOTE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^。;()\[\]〔〕【】\n]*(?:不再(?:一一)?列出|不再重复|下同)[^。;()\[\]〔〕【】\n]*")
        .expect("valid pattern")
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
pub(super) fn strip_note_sentences(text: &str) -> String {
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
    Regex::new(r"[\p{Han})\]】〕]等(?:各|其他|其它)?(?:有关|相关)?(?:部门|单位|机构)?(?:(?:和|及|与)(?:部门|单位|机构))?(?:配合|负责|参与|协助|协同|落实)?(?:[,、;。)\]】〕\s]|$)")
        .expect("valid pattern")
});

/// Whether a units text ends a list with `等` (`县应急管理局、县卫生健康局等`).
pub fn is_not_exhaustive(units_text: &str) -> bool {
    NOT_EXHAUSTIVE.is_match(units_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_notes_are_found_and_lead_rules_are_not_notes() {
        let text = "〔责任单位:A局。各县区均为责任单位,不再列出,下同。〕(县政府部门中列在首位的为牵头部门,下同)";
        assert_eq!(document_notes(text), ["各县区均为责任单位,不再列出,下同"]);
        assert!(document_notes("(县政府部门中列在首位的为牵头部门,有关部门按职责分工负责,下同)").is_empty());
    }

    #[test]
    fn lists_ending_in_deng_are_not_exhaustive() {
        for text in [
            "县应急管理局、县卫生健康局等,各乡镇",
            "县医保局(基金中心)等",
            "县教育局等有关部门",
            "县财政局等",
            "区民政局等各有关单位",
            "区司法局等有关部门配合",
        ] {
            assert!(is_not_exhaustive(text), "{text}");
        }
        for text in ["县应急管理局、县卫生健康局", "推进平等就业", "县统计局"] {
            assert!(!is_not_exhaustive(text), "{text}");
        }
    }

    #[test]
    fn short_names_and_scopes_in_brackets_are_asides() {
        for aside in ["(以下简称在线平台)", "(简称“法治进社区”)", "(含临时救助)", "(不含棚户区改造项目)", "(下称平台)"]
        {
            assert!(is_aside(aside), "{aside}");
        }
        for unit in ["(县粮食局)", "(牵头)", "(市、区)"] {
            assert!(!is_aside(unit), "{unit}");
        }
        assert_eq!(strip_asides("县人力资源社会保障局(含县就业局)、县医保局"), "县人力资源社会保障局、县医保局");
    }

    #[test]
    fn rule_sentences_are_stripped_from_units() {
        assert_eq!(strip_note_sentences("市民政局、市财政局,列第一位者为牵头单位"), "市民政局、市财政局,");
        assert_eq!(strip_rule_notes("县民政局(排在首位的为牵头单位)"), "县民政局");
    }
}
