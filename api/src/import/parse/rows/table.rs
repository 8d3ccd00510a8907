//! What table layouts share: columns named by header words, rows collected cell by cell.

use super::super::ParseWarning;
use super::super::notice::chinese_number;
use super::super::units::{is_not_exhaustive, parse_units_cell, split_units};
use super::intext::pick_schedule;
use super::{RawTask, UnitSpec, warning};
use regex::Regex;
use std::sync::LazyLock;

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Seq,
    Title,
    Measures,
    Lead,
    Supporting,
    Units,
    Schedule,
    /// A person (分管领导, 责任领导): name and title, never a unit.
    Leader,
    Other,
}

/// Header words and the column they name; at each position the longest match wins.
pub(super) const HEADER_WORDS: &[(&str, Column)] = &[
    ("牵头负责领导", Column::Leader),
    ("牵头领导", Column::Leader),
    ("分管县领导", Column::Leader),
    ("分管领导", Column::Leader),
    ("责任领导", Column::Leader),
    ("县级领导", Column::Leader),
    ("责任人", Column::Leader),
    ("牵头科室", Column::Lead),
    ("配合科室", Column::Supporting),
    ("数据提供单位", Column::Supporting),
    ("协作单位", Column::Supporting),
    ("协同部门", Column::Supporting),
    ("序号", Column::Seq),
    ("编号", Column::Seq),
    ("工作任务", Column::Title),
    ("重点任务", Column::Title),
    ("主要任务", Column::Title),
    ("具体任务", Column::Title),
    ("工作内容", Column::Title),
    ("工作事项", Column::Title),
    ("任务", Column::Title),
    ("事项", Column::Title),
    ("落实措施", Column::Measures),
    ("工作措施", Column::Measures),
    ("具体措施", Column::Measures),
    ("措施", Column::Measures),
    ("牵头负责部门", Column::Lead),
    ("牵头负责单位", Column::Lead),
    ("牵头责任单位", Column::Lead),
    ("牵头单位", Column::Lead),
    ("牵头部门", Column::Lead),
    ("牵头", Column::Lead),
    ("协同责任单位", Column::Supporting),
    ("配合单位", Column::Supporting),
    ("配合部门", Column::Supporting),
    ("协办单位", Column::Supporting),
    ("参与单位", Column::Supporting),
    ("协同单位", Column::Supporting),
    ("责任单位", Column::Units),
    ("负责单位", Column::Units),
    ("责任部门", Column::Units),
    ("负责部门", Column::Units),
    ("承办单位", Column::Units),
    ("实施单位", Column::Units),
    ("责任科室", Column::Units),
    ("时间进度", Column::Schedule),
    ("完成时限", Column::Schedule),
    ("完成时间", Column::Schedule),
    ("时间节点", Column::Schedule),
    ("时限要求", Column::Schedule),
    ("进度安排", Column::Schedule),
    ("时间安排", Column::Schedule),
    ("时限", Column::Schedule),
    ("完成期限", Column::Schedule),
    ("推进时限", Column::Schedule),
    ("进度", Column::Schedule),
    ("备注", Column::Other),
];

/// The columns of the reference plan, used when a pipe table has no header.
pub(super) const DEFAULT_COLUMNS: [Column; 5] =
    [Column::Seq, Column::Title, Column::Measures, Column::Units, Column::Schedule];

/// Website footers and document tails that end the last row.
pub(super) static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:主办单位|承办单位:|版权所有|网站标识码|联系电话|技术支持|抄送|主题词|打印本页|关闭窗口|网站地图)|ICP备")
        .expect("valid pattern")
});

/// Text without any whitespace, for comparing headers like `工 作 任 务`.
pub(super) fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Columns named in a compact header, in order.
pub(super) fn header_columns(header: &str) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut rest = header;
    while let Some(c) = rest.chars().next() {
        let best = HEADER_WORDS.iter().filter(|(word, _)| rest.starts_with(word)).max_by_key(|(word, _)| word.len());
        match best {
            Some((word, column)) => {
                columns.push(*column);
                rest = &rest[word.len()..];
            }
            None => rest = &rest[c.len_utf8()..],
        }
    }
    columns
}

/// A row number: `11`, `11.`, `十一`, `十一、`.
pub(super) fn seq_number(cell: &str) -> Option<i32> {
    let cell = cell.trim().trim_end_matches(['.', '、']);
    if !cell.is_empty() && cell.len() <= 4 && cell.bytes().all(|b| b.is_ascii_digit()) {
        return cell.parse().ok();
    }
    chinese_number(cell)
}

/// The cells of one row, by column.
#[derive(Debug, Default)]
pub(super) struct Fields {
    pub(super) title: String,
    pub(super) measures: String,
    pub(super) lead: String,
    pub(super) supporting: String,
    pub(super) units: String,
    pub(super) schedule: String,
    pub(super) leader: String,
}

impl Fields {
    pub(super) fn from_cells(columns: &[Column], cells: &[String]) -> Self {
        let mut fields = Fields::default();
        for (column, cell) in columns.iter().zip(cells) {
            let slot = match column {
                Column::Title => &mut fields.title,
                Column::Measures => &mut fields.measures,
                Column::Lead => &mut fields.lead,
                Column::Supporting => &mut fields.supporting,
                Column::Units => &mut fields.units,
                Column::Schedule => &mut fields.schedule,
                Column::Leader => &mut fields.leader,
                Column::Seq | Column::Other => continue,
            };
            if !slot.is_empty() && !cell.trim().is_empty() {
                slot.push('\n');
            }
            slot.push_str(cell.trim());
        }
        fields
    }

    fn units(&self) -> UnitSpec {
        if self.lead.is_empty() {
            let cell = [self.units.as_str(), self.supporting.as_str()]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join("、");
            return parse_units_cell(&cell).unwrap_or(UnitSpec::Listed(Vec::new()));
        }
        let leads = split_units(&self.lead);
        let supporting = split_units(&self.supporting)
            .into_iter()
            .chain(split_units(&self.units))
            .filter(|n| !leads.contains(n))
            .collect();
        UnitSpec::Explicit { leads, supporting }
    }

    /// The task; without a schedule cell, the schedule is looked for in the title and measures.
    pub(super) fn into_task(self, seq: i32, line: usize) -> RawTask {
        let (schedule, schedule_source) = pick_schedule(&self.schedule, "", &self.title, &self.measures);
        let units_text = [self.lead.as_str(), self.units.as_str(), self.supporting.as_str()].join("、");
        RawTask {
            seq,
            number: seq.to_string(),
            parent: None,
            units: self.units(),
            units_not_exhaustive: is_not_exhaustive(&units_text),
            leader: Some(self.leader.trim().to_string()).filter(|l| !l.is_empty()),
            title: self.title,
            measures: self.measures,
            schedule,
            schedule_source,
            line,
        }
    }
}

/// A row being collected.
pub(super) struct Row {
    pub(super) seq: i32,
    pub(super) line: usize,
    pub(super) cells: Vec<String>,
}

/// Turns a collected row into a task, warning when cells are missing or extra.
pub(super) fn finish_row(row: Row, columns: &[Column], warnings: &mut Vec<ParseWarning>) -> RawTask {
    let wanted = columns.len().saturating_sub(1);
    if row.cells.len() < wanted {
        let msg = format!("第 {} 行缺少单元格:应有 {wanted} 个,只有 {} 个", row.seq, row.cells.len());
        warnings.push(warning(row.line, "ROW_INCOMPLETE", msg));
    } else if row.cells.len() > wanted {
        let msg = format!("第 {} 行多出单元格:应有 {wanted} 个,实有 {} 个", row.seq, row.cells.len());
        warnings.push(warning(row.line, "ROW_EXTRA_CELLS", msg));
    }
    let data_columns = columns.get(1..).unwrap_or_default();
    Fields::from_cells(data_columns, &row.cells).into_task(row.seq, row.line)
}
