//! Task rows: finds the plan's tasks in cleaned text, whatever the layout.
//!
//! Three readers, tried in order:
//! - **pipe tables** (the reference plan): cells end with `|`, one per line or all on one line,
//!   the header row repeats at page breaks, a website footer follows;
//! - **whitespace tables** with a header such as `序号 工 作 任 务 牵头负责部门 配合部门 完成时限`;
//! - **numbered items** (`1.`, `1、`, `(一)`, `一、`, `(1)`) whose units come in a parenthesis
//!   (`(牵头单位:X;配合单位:A、B)`, `(X牵头,Y负责)`), on label lines (`牵头单位:X`,
//!   `责任单位:A、B`) or in a `由X会同Y负责` clause.
//!
//! Afterwards a plan-wide rule (`无牵头单位的,责任单位即为牵头单位`) is applied and the
//! sequence numbers are checked for gaps and repeats.

mod items;
mod pipe;
mod space;
mod table;

use super::ParseWarning;
use regex::Regex;
use std::sync::LazyLock;

/// One task row as written in the plan, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTask {
    /// Number of the task within the plan (序号).
    pub seq: i32,
    /// The task (工作任务).
    pub title: String,
    /// The concrete measures (落实措施); empty when the layout has none.
    pub measures: String,
    /// Who is responsible.
    pub units: UnitSpec,
    /// The schedule in free text (时间进度); empty when the layout has none.
    pub schedule: String,
    /// 1-based line of the row in the cleaned text.
    pub line: usize,
}

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
    let mut outcome = pipe::parse_pipe_table(cleaned)
        .or_else(|| space::parse_space_table(cleaned))
        .unwrap_or_else(|| items::parse_items(cleaned));
    if NO_LEAD_RULE.is_match(cleaned) {
        for task in &mut outcome.tasks {
            if let UnitSpec::Listed(units) = &task.units {
                task.units = UnitSpec::Explicit { leads: units.clone(), supporting: Vec::new() };
            }
        }
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
mod tests;
