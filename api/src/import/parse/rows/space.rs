//! Tables whose cells are separated by spaces, under a spaced header (`工 作 任 务`).

use super::RowsOutcome;
use super::table::*;

/// A header line of a whitespace table: starts with `序号`, names at least three columns.
pub(super) fn space_header(line: &str) -> Option<Vec<Column>> {
    let compact = compact(line);
    if line.contains('|') || !compact.starts_with("序号") || compact.chars().count() > 60 {
        return None;
    }
    let columns = header_columns(&compact);
    (columns.len() >= 3).then_some(columns)
}

/// Spreads whitespace-separated tokens over the data columns; the measures column (or the title
/// when there is none) takes what is left over, so wrapped text still lands in one cell.
pub(super) fn distribute(data_columns: &[Column], tokens: &[&str]) -> Vec<String> {
    let (k, n) = (data_columns.len(), tokens.len());
    if n <= k {
        return tokens.iter().map(|t| (*t).to_string()).collect();
    }
    let flex = data_columns
        .iter()
        .position(|c| *c == Column::Measures)
        .or_else(|| data_columns.iter().position(|c| *c == Column::Title))
        .unwrap_or(0);
    let right = k.saturating_sub(flex + 1);
    let mut cells: Vec<String> = tokens[..flex].iter().map(|t| (*t).to_string()).collect();
    cells.push(tokens[flex..n - right].concat());
    cells.extend(tokens[n - right..].iter().map(|t| (*t).to_string()));
    cells
}

/// A table whose cells are separated by spaces, with a spaced header.
pub(super) fn parse_space_table(text: &str) -> Option<RowsOutcome> {
    let lines: Vec<&str> = text.split('\n').collect();
    let (header_at, columns) = lines.iter().enumerate().find_map(|(i, l)| space_header(l).map(|c| (i, c)))?;
    let data_columns = columns.get(1..).unwrap_or_default();
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let mut rows: Vec<(i32, usize, Vec<&str>)> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(header_at + 1) {
        if FOOTER.is_match(line) {
            break;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let seq = tokens.first().and_then(|t| seq_number(t));
        match (seq, rows.last_mut()) {
            (Some(seq), _) if tokens.len() > 1 => rows.push((seq, i + 1, tokens[1..].to_vec())),
            _ if space_header(line).is_some() => {}
            (_, Some(open)) => open.2.extend(tokens),
            (_, None) => {}
        }
    }
    for (seq, line, tokens) in rows {
        let cells = distribute(data_columns, &tokens);
        let row = Row { seq, line, cells };
        tasks.push(finish_row(row, &columns, &mut warnings));
    }
    (!tasks.is_empty()).then_some(RowsOutcome { tasks, warnings })
}

/// Whether a line ends the plan (website footer, document tail).
pub(super) fn is_footer(line: &str) -> bool {
    FOOTER.is_match(line)
}
