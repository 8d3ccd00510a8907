//! Labels (`牵头单位:`, `完成时限:`, `分管领导:`) and bracket groups, which every layout reads.

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

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(LabelKind, String)> {
        find_labels(text).into_iter().map(|l| (l.kind, l.value)).collect()
    }

    #[test]
    fn a_label_value_stops_at_its_bracket_and_keeps_a_names_own_bracket() {
        assert_eq!(
            values("〔责任单位:市司法局、市公安局按职责分工负责。各县区均为责任单位,下同。〕"),
            vec![(LabelKind::Responsible, "市司法局、市公安局按职责分工负责".to_string())]
        );
        assert_eq!(
            values("[牵头单位:市大数据局;责任单位:市财政局、县发改局(粮食局))"),
            vec![
                (LabelKind::Lead, "市大数据局".to_string()),
                (LabelKind::Responsible, "市财政局、县发改局(粮食局)".to_string()),
            ]
        );
    }

    #[test]
    fn person_office_and_third_unit_labels() {
        let text = "分管领导:李明(副市长)\n牵头科室(单位):市农业农村局\n数据提供单位:市统计局\n协办单位:市大数据局";
        let kinds: Vec<LabelKind> = values(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [LabelKind::Leader, LabelKind::Lead, LabelKind::Supporting, LabelKind::Supporting]);
        assert!(!LabelKind::Leader.is_unit());
    }

    #[test]
    fn square_brackets_group_like_round_ones() {
        let text = "甲〔2014〕乙【丙(丁)】";
        let groups: Vec<&str> = bracket_groups(text).into_iter().map(|g| &text[g]).collect();
        assert_eq!(groups, ["〔2014〕", "【丙(丁)】"]);
    }
}
