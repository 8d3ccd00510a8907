//! Task rows: finds the plan's tasks in cleaned text, whatever the layout.
//!
//! Four readers, tried in order:
//! - **pipe tables** (the reference plan): cells end with `|`, one per line or all on one line,
//!   the header row repeats at page breaks, a website footer follows;
//! - **whitespace tables** with a header such as `序号 工 作 任 务 牵头负责部门 配合部门 完成时限`;
//! - **glued tables** (`glued.rs`): a web table copied with its cells run together, the units
//!   and the deadline at the end of each numbered line;
//! - **numbered items** (`1.`, `1、`, `(一)`, `一、`, `(1)`) whose units come in a parenthesis
//!   (`(牵头单位:X;配合单位:A、B)`, `(X牵头,Y负责)`, `〔责任单位:…〕`, also carrying a schedule:
//!   `(省直各部门分别负责,年内完成)`), on label lines (`牵头单位:X`, `责任单位:A、B`) or in a
//!   `由X会同Y负责` clause. They are read as an outline (`outline.rs`): sub-measures that name
//!   their own units become tasks under their parent, numbered as the plan writes them
//!   (`一、(二)3`).
//!
//! When the label lines (`牵头单位:…`) delimit more tasks than the numbering does, the numbering
//! was lost on the way (converter artefacts) and the label blocks are the tasks (`blocks.rs`).
//!
//! Without a schedule cell or label, the schedule is looked for in the task's own text: the
//! units parenthesis, then the title, then the measures ([`ScheduleSource`]).
//!
//! Tables given as cells (Word, Excel) go through [`parse_grid`], which shares the column and
//! cell rules of the text tables.
//!
//! Afterwards a plan-wide rule (`无牵头单位的,责任单位即为牵头单位`) is applied, document notes
//! (`各县区均为责任单位,不再列出,下同`) and lists ending in `等` become warnings, and the
//! sequence numbers are checked for gaps and repeats.

mod blocks;
mod glued;
mod grid;
mod intext;
mod items;
mod items_units;
mod outline;
mod pipe;
mod space;
mod table;

use super::ParseWarning;
use regex::Regex;
use std::sync::LazyLock;

/// One task row as written in the plan, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTask {
    /// Number of the task within the parsed plan, unique: the plan's own row number, or 1..N in
    /// plan order when the plan's numbers repeat or sub-measures became tasks of their own.
    pub seq: i32,
    /// The plan's numbering as written, outline included: `一、(二)3` for sub-measure 3 of item
    /// (二) in section 一; for a table, its row number (`11`).
    pub number: String,
    /// `seq` of the task this one is a sub-measure of; `None` for a top-level task.
    pub parent: Option<i32>,
    /// The task (工作任务).
    pub title: String,
    /// The concrete measures (落实措施); empty when the layout has none.
    pub measures: String,
    /// Who is responsible.
    pub units: UnitSpec,
    /// The person in charge (分管领导, 责任领导, 牵头负责领导): name and title as written, never a unit.
    pub leader: Option<String>,
    /// The schedule in free text (时间进度), or the part of the task's text that states it;
    /// empty when none was found.
    pub schedule: String,
    /// Where [`RawTask::schedule`] came from.
    pub schedule_source: ScheduleSource,
    /// The units list ends with `等` (`县应急管理局、县卫生健康局等`): more units may be meant.
    pub units_not_exhaustive: bool,
    /// 1-based line of the row in the cleaned text.
    pub line: usize,
}

/// Which text a task's schedule was read from (one definition, stored as it is).
pub use entity::ScheduleSource;

/// Who is responsible for a task, as the plan states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitSpec {
    /// Units as listed; the first county department leads, the rest support (decided later,
    /// when names are resolved: groups like 各镇人民政府 and catch-alls never lead).
    Listed(Vec<String>),
    /// The plan says who leads: several leads allowed (co-leads).
    Explicit {
        /// Lead units (牵头单位), in the order written.
        leads: Vec<String>,
        /// Supporting units (配合单位), in the order written, leads excluded.
        supporting: Vec<String>,
    },
}

/// The rows found and what was odd about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowsOutcome {
    /// Tasks in plan order.
    pub tasks: Vec<RawTask>,
    /// Rows missing cells, sequence gaps and repeats, …
    pub warnings: Vec<ParseWarning>,
}

/// `无牵头单位的,责任单位即为牵头单位` and close variants.
static NO_LEAD_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:无|没有|未(?:明确|注明|标明|列明|列)?)牵头单位的?.{0,12}?(?:责任单位|所列单位).{0,4}?(?:即为|均为|即是|都是|为|是)牵头单位")
        .expect("valid pattern")
});

/// Finds the plan's task rows in cleaned text (see the module docs for the layouts).
pub fn parse_rows(cleaned: &str) -> RowsOutcome {
    let outcome = pipe::parse_pipe_table(cleaned)
        .or_else(|| space::parse_space_table(cleaned))
        .or_else(|| glued::parse_glued_table(cleaned))
        .unwrap_or_else(|| items_or_blocks(cleaned));
    finish_outcome(cleaned, outcome)
}

/// Numbered items, unless the label lines delimit more tasks than the numbering does: then the
/// numbering was lost on the way (see `blocks.rs`), and the admin is told.
fn items_or_blocks(cleaned: &str) -> RowsOutcome {
    let items = items::parse_items(cleaned);
    match blocks::parse_label_blocks(cleaned) {
        Some(mut blocks) if blocks.tasks.len() > items.tasks.len() => {
            let message = format!(
                "编号不完整:按编号只能分出 {} 项,按「牵头单位」等标签分出 {} 项,已按标签分项,请核对",
                items.tasks.len(),
                blocks.tasks.len()
            );
            blocks.warnings.push(ParseWarning { line: None, code: "NUMBERING_UNRELIABLE", message });
            blocks
        }
        _ => items,
    }
}

/// Tasks of a table given as cells (a Word table, a spreadsheet): the first row that names at
/// least three known columns is the header; rows above it are skipped. `None` without a header.
pub fn parse_grid(grid: &[Vec<String>]) -> Option<RowsOutcome> {
    let outcome = grid::grid_tasks(grid)?;
    let text: String = grid.iter().flatten().map(String::as_str).collect::<Vec<_>>().join("\n");
    Some(finish_outcome(&text, outcome))
}

/// What every layout gets once its rows are found: the plan-wide no-lead rule, document notes
/// and incomplete lists as warnings, and the sequence check.
fn finish_outcome(text: &str, mut outcome: RowsOutcome) -> RowsOutcome {
    if NO_LEAD_RULE.is_match(text) {
        for task in &mut outcome.tasks {
            if let UnitSpec::Listed(units) = &task.units {
                task.units = UnitSpec::Explicit { leads: units.clone(), supporting: Vec::new() };
            }
        }
    }
    let mut notes = super::units::document_notes(text);
    notes.dedup();
    for note in notes {
        let message = format!("文件说明(不是单位):「{note}」");
        outcome.warnings.push(ParseWarning { line: None, code: "DOCUMENT_NOTE", message });
    }
    for task in outcome.tasks.iter().filter(|t| t.units_not_exhaustive) {
        let message = format!("第 {} 项的责任单位以「等」结尾,名单可能不完整", task.number);
        outcome.warnings.push(warning(task.line, "UNITS_NOT_EXHAUSTIVE", message));
    }
    check_seqs(&outcome.tasks, &mut outcome.warnings);
    outcome
}

pub(super) fn warning(line: usize, code: &'static str, message: String) -> ParseWarning {
    ParseWarning { line: Some(line), code, message }
}

/// Warns about sequence numbers that skip, repeat or go backwards.
fn check_seqs(tasks: &[RawTask], warnings: &mut Vec<ParseWarning>) {
    let mut seen: Vec<i32> = Vec::with_capacity(tasks.len());
    let mut expected = 1;
    for task in tasks {
        if seen.contains(&task.seq) {
            let msg = format!("序号 {} 重复出现", task.seq);
            warnings.push(warning(task.line, "SEQ_DUPLICATE", msg));
        } else if task.seq != expected {
            let msg = format!("序号应为 {expected},实际为 {}", task.seq);
            warnings.push(warning(task.line, "SEQ_GAP", msg));
        }
        seen.push(task.seq);
        expected = task.seq.saturating_add(1);
    }
}

#[cfg(test)]
mod shapes_tests;
#[cfg(test)]
mod tests;
