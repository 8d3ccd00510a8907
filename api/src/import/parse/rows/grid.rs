//! Tables given as cells (a Word table, a spreadsheet): a header row anywhere above the data,
//! columns in any order, and rows that continue the row above.
//!
//! The readers fill merged cells before they get here: a cell merged down repeats its text in
//! every row it spans, a cell merged across keeps its text in its first column only. So a task
//! whose number is merged over several rows arrives as rows with the same number, and they are
//! read as one task.

use super::table::*;
use super::{RawTask, RowsOutcome, warning};

/// Header cells are short; a longer cell is data that happens to contain a header word.
const MAX_HEADER_CELL: usize = 16;

/// The columns a row names, when it is a header row: at least three known columns, among them
/// the task (or its measures) and someone responsible.
fn header_row(row: &[String]) -> Option<Vec<Column>> {
    let columns: Vec<Column> = row
        .iter()
        .map(|cell| {
            let compact = compact(cell);
            if compact.chars().count() > MAX_HEADER_CELL {
                return Column::Other;
            }
            header_columns(&compact).first().copied().unwrap_or(Column::Other)
        })
        .collect();
    let has = |wanted: &[Column]| columns.iter().any(|c| wanted.contains(c));
    let known = columns.iter().filter(|c| **c != Column::Other).count();
    let ok = known >= 3
        && has(&[Column::Title, Column::Measures])
        && has(&[Column::Units, Column::Lead, Column::Supporting]);
    ok.then_some(columns)
}

/// A header spread over two rows (`责任单位` above `牵头单位 | 配合单位`): the lower row names
/// the columns more precisely.
fn refine(columns: &mut [Column], lower: &[Column]) {
    for (column, below) in columns.iter_mut().zip(lower) {
        if *below != Column::Other {
            *column = *below;
        }
    }
}

/// Whether a row holds one text only (a section heading or a note merged across the table).
fn is_banner(row: &[String]) -> bool {
    let mut texts = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty());
    let first = texts.next();
    first.is_some() && texts.all(|t| Some(t) == first) && row.iter().filter(|c| !c.trim().is_empty()).count() <= 1
        || row.iter().all(|c| c.trim().is_empty())
}

/// Tasks of a table of cells; `None` without a header row.
pub(super) fn grid_tasks(grid: &[Vec<String>]) -> Option<RowsOutcome> {
    let (header_at, mut columns) = grid.iter().enumerate().find_map(|(i, row)| header_row(row).map(|c| (i, c)))?;
    let mut at = header_at + 1;
    while let Some(lower) = grid.get(at).and_then(|row| header_row(row)) {
        refine(&mut columns, &lower);
        at += 1;
    }
    let seq_column = columns.iter().position(|c| *c == Column::Seq);
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let mut open: Option<(Option<String>, usize, Vec<String>)> = None;
    for (index, row) in grid.iter().enumerate().skip(at) {
        if header_row(row).is_some() || is_banner(row) {
            continue;
        }
        let seq_text = seq_column.and_then(|c| row.get(c)).map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
        let continues = open.as_ref().is_some_and(|(seq, _, _)| seq_text.is_none() || seq_text == *seq);
        match open.as_mut() {
            Some((_, _, cells)) if continues && seq_column.is_some() => merge_row(cells, row),
            _ => {
                if let Some(done) = open.take() {
                    tasks.extend(grid_task(done, &columns, tasks.len(), &mut warnings));
                }
                open = Some((seq_text, index + 1, row.clone()));
            }
        }
    }
    if let Some(done) = open {
        tasks.extend(grid_task(done, &columns, tasks.len(), &mut warnings));
    }
    (!tasks.is_empty()).then_some(RowsOutcome { tasks, warnings })
}

/// Adds a continuation row's cells to the open row, each text once.
fn merge_row(cells: &mut Vec<String>, row: &[String]) {
    cells.resize(cells.len().max(row.len()), String::new());
    for (cell, more) in cells.iter_mut().zip(row) {
        let more = more.trim();
        if more.is_empty() || cell.split('\n').any(|line| line.trim() == more) {
            continue;
        }
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(more);
    }
}

/// One collected row as a task: numbered by its own cell, else by its place.
fn grid_task(
    (seq_text, line, cells): (Option<String>, usize, Vec<String>),
    columns: &[Column],
    before: usize,
    warnings: &mut Vec<crate::import::parse::ParseWarning>,
) -> Option<RawTask> {
    let place = i32::try_from(before + 1).unwrap_or(i32::MAX);
    let seq = seq_text.as_deref().and_then(seq_number).unwrap_or(place);
    let fields = Fields::from_cells(columns, &cells);
    if fields.title.is_empty() && fields.measures.is_empty() {
        warnings.push(warning(line, "ROW_INCOMPLETE", format!("第 {line} 行没有工作任务,已跳过")));
        return None;
    }
    let mut task = fields.into_task(seq, line);
    if let Some(text) = seq_text {
        task.number = text.trim_end_matches(['.', '、']).to_string();
    }
    if task.title.is_empty() {
        task.title = task.measures.lines().next().unwrap_or_default().to_string();
    }
    Some(task)
}
