//! The columns of a division table: its header, its width in Excel, and what it shows of a
//! row. Both writers take [`COLUMNS`] as they are, so a new column is one line there.
//!
//! The first six are the plan's own (序号 … 时间进度), so an exported table imports again as
//! the same plan; the others are the follow-up's state: status, due date, the lead's latest
//! progress, the warning light (红灯/黄灯/蓝灯/绿灯, judged as `Task.warning`), the original due
//! date, the lead's 承办人, how many units signed for the task and how many files of evidence
//! back the latest progress shown.

use super::table::{DivisionTable, Row};
use crate::domain::follow_up::warning::{Facts, Level};
use entity::TaskStatus;

/// One column.
#[derive(Clone, Copy)]
pub struct Column {
    /// The header cell.
    pub header: &'static str,
    /// Width in Excel's character units.
    pub width: f64,
    /// The cell of one row.
    pub value: fn(&Row, &DivisionTable) -> String,
}

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column { header: "序号", width: 8.0, value: |row, _| number(row) },
    Column { header: "工作任务", width: 32.0, value: |row, _| row.task.title.clone() },
    Column { header: "落实措施", width: 48.0, value: |row, _| row.task.measures.clone() },
    Column { header: "牵头单位", width: 18.0, value: |row, _| row.leads.join("、") },
    Column { header: "配合单位", width: 32.0, value: |row, _| row.supporting.join("、") },
    Column { header: "时间进度", width: 22.0, value: |row, _| row.task.schedule_text.clone() },
    Column { header: "当前状态", width: 10.0, value: |row, _| status_label(row.task.status).to_owned() },
    Column { header: "截止日期", width: 12.0, value: |row, _| due_date(row) },
    Column { header: "最新进展", width: 40.0, value: |row, _| latest_report(row) },
    Column { header: "预警", width: 8.0, value: |row, table| warning_label(row, table).to_owned() },
    Column { header: "原定截止日期", width: 12.0, value: |row, _| original_due_date(row) },
    Column { header: "承办人", width: 24.0, value: |row, _| row.lead_people.join("、") },
    Column { header: "签收情况", width: 10.0, value: |row, _| signed(row) },
    Column { header: "佐证材料", width: 10.0, value: |row, _| evidence(row) },
];

/// The plan's numbering (`一、(二)3`), else the task's number in the plan.
fn number(row: &Row) -> String {
    row.task.number.clone().unwrap_or_else(|| row.task.seq.to_string())
}

/// `2015-06-30`, or empty while the due date is unknown.
fn due_date(row: &Row) -> String {
    row.task.due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The due date the plan first set (statistics judge against it); it differs from 截止日期 once
/// an extension moved the task.
fn original_due_date(row: &Row) -> String {
    row.task.original_due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// `3/5 已签收`, or empty for a task no unit signs for.
fn signed(row: &Row) -> String {
    match row.signed {
        (_, 0) => String::new(),
        (done, all) => format!("{done}/{all} 已签收"),
    }
}

/// `2件`: the files of evidence behind the report 最新进展 shows (empty without a report).
fn evidence(row: &Row) -> String {
    match row.latest_report {
        Some(_) => format!("{}件", row.latest_evidence),
        None => String::new(),
    }
}

/// `text（60%）`, or empty when the caller may read no report.
fn latest_report(row: &Row) -> String {
    row.latest_report.as_ref().map(|r| format!("{}（{}%）", r.text.trim(), r.percent)).unwrap_or_default()
}

/// The task's warning light as the office says it (empty for work not open).
fn warning_label(row: &Row, table: &DivisionTable) -> &'static str {
    match table.judge.level(&Facts::of_task(&row.task)) {
        Level::Red => "红灯",
        Level::Yellow => "黄灯",
        Level::Blue => "蓝灯",
        Level::Green => "绿灯",
        Level::None => "",
    }
}

/// A task's status as the office says it.
pub fn status_label(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => "未开始",
        TaskStatus::InProgress => "进行中",
        TaskStatus::PendingReview => "待审核",
        TaskStatus::Returned => "退回重办",
        TaskStatus::Completed => "已办结",
        TaskStatus::Archived => "已销号",
        TaskStatus::Suspended => "已中止",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_status_has_its_own_label() {
        let labels: std::collections::HashSet<&str> = TaskStatus::iter().map(status_label).collect();
        assert_eq!(labels.len(), TaskStatus::iter().count());
    }

    #[test]
    fn the_plans_own_columns_come_first_in_the_order_the_importer_reads() {
        let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
        assert_eq!(headers[..6], ["序号", "工作任务", "落实措施", "牵头单位", "配合单位", "时间进度"]);
    }
}
