//! The reference layout: a flattened pipe table, one cell per `|`.

use super::RowsOutcome;
use super::table::*;
use regex::Regex;
use std::sync::LazyLock;

pub(super) static PIPE_HEADER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"序\s*号\s*\|").expect("valid pattern"));

/// A pipe-table cell and the line its text starts on.
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) line: usize,
}

/// Cells of a pipe table from `start` on; text after the last `|` (the footer) is dropped.
pub(super) fn pipe_cells(text: &str, start: usize) -> Vec<Cell> {
    let mut line = 1 + text[..start].matches('\n').count();
    let mut cells = Vec::new();
    let body = &text[start..];
    let pieces: Vec<&str> = body.split('|').collect();
    for piece in pieces.iter().take(pieces.len().saturating_sub(1)) {
        let lead = piece.len() - piece.trim_start().len();
        let text_line = line + piece[..lead].matches('\n').count();
        cells.push(Cell { text: piece.trim().to_string(), line: text_line });
        line += piece.matches('\n').count();
    }
    cells
}

pub(super) fn is_header_cell(cell: &str) -> bool {
    let compact = compact(cell);
    compact.chars().count() <= 8 && seq_number(&compact).is_none() && !header_columns(&compact).is_empty()
}

/// Reads a (repeated) header row starting at `at`: its columns and the index after it.
pub(super) fn read_pipe_header(cells: &[Cell], at: usize) -> (Vec<Column>, usize) {
    let end = (at + 1..cells.len()).find(|&j| !is_header_cell(&cells[j].text)).unwrap_or(cells.len());
    let header: String = cells[at..end].iter().map(|c| compact(&c.text)).collect();
    (header_columns(&header), end)
}

/// The reference layout: `序号 | 工作任务 | … |` then one cell per `|`.
pub(super) fn parse_pipe_table(text: &str) -> Option<RowsOutcome> {
    let start = PIPE_HEADER.find(text)?.start();
    let cells = pipe_cells(text, start);
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let mut columns = DEFAULT_COLUMNS.to_vec();
    let mut row: Option<Row> = None;
    let mut i = 0;
    while let Some(cell) = cells.get(i) {
        i += 1;
        if compact(&cell.text) == "序号" {
            (columns, i) = read_pipe_header(&cells, i - 1);
            continue;
        }
        let wanted = columns.len().saturating_sub(1);
        let starts_row = seq_number(&cell.text)
            .filter(|&seq| row.as_ref().is_none_or(|r| r.cells.len() >= wanted || seq == r.seq.saturating_add(1)));
        match (starts_row, row.as_mut()) {
            (Some(seq), _) => {
                let new = Row { seq, line: cell.line, cells: Vec::new() };
                if let Some(done) = row.replace(new) {
                    tasks.push(finish_row(done, &columns, &mut warnings));
                }
            }
            (None, Some(open)) => open.cells.push(cell.text.clone()),
            (None, None) => {}
        }
    }
    if let Some(done) = row {
        tasks.push(finish_row(done, &columns, &mut warnings));
    }
    Some(RowsOutcome { tasks, warnings })
}
