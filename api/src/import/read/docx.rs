//! Word documents (`.docx`): the body's paragraphs and tables, read from `word/document.xml`.
//!
//! Tables stay tables: rows, cells, cells merged across (`w:gridSpan`, text in the first column)
//! and down (`w:vMerge`, text repeated in every row), the convention
//! [`crate::import::parse::rows::parse_grid`] expects. A table nested in a cell becomes that
//! cell's text. Each table's cells and text, repeated text included, are charged to the file's
//! [`Budget`] before the table is built.

use super::archive::Archive;
use super::budget::Budget;
use super::{ReadError, parse_text, plan_from_table, table_lines};
use crate::import::parse::clean::clean;
use crate::import::parse::rows::parse_grid;
use crate::import::pipeline::ParsedPlan;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Columns a cell may span, and columns skipped before a row: more is damage, not layout.
const MAX_SPAN: usize = 64;
/// XML events read between two looks at whether the read is still wanted.
const EVENTS_PER_CHECK: usize = 4096;

/// A part of the document body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    Paragraph(String),
    Table(Vec<Vec<String>>),
}

/// Reads a `.docx`: its best division table, else its text.
pub(super) fn parse(bytes: &[u8], budget: &mut Budget) -> Result<ParsedPlan, ReadError> {
    let mut archive = Archive::open(bytes)?;
    let xml = archive.read("word/document.xml")?.ok_or(ReadError::WrongContent { expected: ".docx" })?;
    let blocks = read_blocks(&xml, budget)?;
    let paragraphs: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(text) => Some(text.as_str()),
            Block::Table(_) => None,
        })
        .collect();
    let best = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(grid) => parse_grid(&clean_grid(grid)),
            Block::Paragraph(_) => None,
        })
        .max_by_key(|rows| rows.tasks.len());
    match best {
        Some(rows) => plan_from_table(&paragraphs.join("\n"), rows, flatten(&blocks)),
        None => parse_text(&flatten(&blocks)),
    }
}

fn clean_grid(grid: &[Vec<String>]) -> Vec<Vec<String>> {
    grid.iter().map(|row| row.iter().map(|cell| clean(cell)).collect()).collect()
}

/// The document as text: paragraphs, and table rows as `cell | cell |` lines.
fn flatten(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(text) => lines.push(text.clone()),
            Block::Table(grid) => lines.extend(table_lines(grid)),
        }
    }
    lines.join("\n")
}

/// How a cell takes part in a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct Cell {
    text: String,
    span: usize,
    vmerge: Option<VMerge>,
}

/// Where the reader is: tables being read (a stack, for nesting) and the text being collected.
struct State<'b> {
    budget: &'b mut Budget,
    blocks: Vec<Block>,
    depth: usize,
    rows: Vec<(usize, Vec<Cell>)>,
    row: Option<(usize, Vec<Cell>)>,
    cell: Option<Cell>,
    paragraph: String,
    in_text: bool,
}

/// The body's paragraphs and tables, in order.
pub(super) fn read_blocks(xml: &[u8], budget: &mut Budget) -> Result<Vec<Block>, ReadError> {
    let mut reader = Reader::from_reader(xml);
    let mut state = State::new(budget);
    let mut buf = Vec::new();
    for events in 1.. {
        if events % EVENTS_PER_CHECK == 0 {
            state.budget.go_on()?;
        }
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => state.start(&e, false)?,
            Event::Empty(e) => state.start(&e, true)?,
            Event::End(e) => state.end(e.local_name().as_ref())?,
            Event::Text(t) if state.in_text => state.paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if state.in_text => {
                let name: &str = r.as_ref();
                let resolved = r.resolve_char_ref()?.map(String::from);
                let entity = resolved.or_else(|| quick_xml::escape::resolve_xml_entity(name).map(str::to_owned));
                state.paragraph.push_str(&entity.unwrap_or_default());
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(state.blocks)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == name).map(|a| a.value.to_string())
}

impl<'b> State<'b> {
    fn new(budget: &'b mut Budget) -> Self {
        State {
            budget,
            blocks: Vec::new(),
            depth: 0,
            rows: Vec::new(),
            row: None,
            cell: None,
            paragraph: String::new(),
            in_text: false,
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), ReadError> {
        let outer = self.depth == 1;
        match e.local_name().as_ref() {
            "tbl" if !empty => self.depth += 1,
            "tr" if outer => self.row = Some((0, Vec::new())),
            "gridBefore" if outer => {
                if let Some(row) = self.row.as_mut() {
                    row.0 = number(attr(e, "val")).min(MAX_SPAN);
                }
            }
            "tc" if outer => self.cell = Some(Cell { span: 1, ..Cell::default() }),
            "gridSpan" if outer => {
                if let Some(cell) = self.cell.as_mut() {
                    cell.span = number(attr(e, "val")).clamp(1, MAX_SPAN);
                }
            }
            "vMerge" if outer => {
                if let Some(cell) = self.cell.as_mut() {
                    let restart = attr(e, "val").is_some_and(|v| v == "restart");
                    cell.vmerge = Some(if restart { VMerge::Restart } else { VMerge::Continue });
                }
            }
            "t" if !empty => self.in_text = true,
            "tab" => self.paragraph.push(' '),
            "br" | "cr" => self.paragraph.push('\n'),
            "p" if empty => self.end("p")?,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str) -> Result<(), ReadError> {
        let outer = self.depth == 1;
        match name {
            "t" => self.in_text = false,
            "p" => self.end_paragraph(),
            "tc" if outer => {
                if let (Some(cell), Some(row)) = (self.cell.take(), self.row.as_mut()) {
                    row.1.push(cell);
                }
            }
            "tr" if outer => self.rows.extend(self.row.take()),
            "tbl" if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.blocks.push(Block::Table(to_grid(rows, self.budget)?));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A paragraph ends: body text, or one more line of the current cell.
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.paragraph);
        match self.cell.as_mut() {
            Some(cell) if self.depth > 0 => {
                if !cell.text.is_empty() {
                    cell.text.push('\n');
                }
                cell.text.push_str(&text);
            }
            _ if self.depth == 0 => self.blocks.push(Block::Paragraph(text)),
            _ => {}
        }
    }
}

fn number(value: Option<String>) -> usize {
    value.and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// Rows of cells to a grid: spans leave their other columns empty, continued merges repeat the
/// text of the cell above. Every row (one cell at least, so that empty rows count too), cell
/// and copied text is charged to `budget` before it is built.
fn to_grid(rows: Vec<(usize, Vec<Cell>)>, budget: &mut Budget) -> Result<Vec<Vec<String>>, ReadError> {
    let mut grid: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    for (before, cells) in rows {
        let width = before + cells.iter().map(|cell| cell.span).sum::<usize>();
        budget.cells(width.max(1))?;
        let mut row = vec![String::new(); before];
        for cell in cells {
            let column = row.len();
            let text = match cell.vmerge {
                Some(VMerge::Continue) => {
                    let above = grid.last().and_then(|above| above.get(column)).map_or("", String::as_str);
                    budget.text(above.len())?;
                    above.to_owned()
                }
                _ => {
                    let own = cell.text.trim();
                    budget.text(own.len())?;
                    own.to_owned()
                }
            };
            row.push(text);
            row.resize(column + cell.span, String::new());
        }
        grid.push(row);
    }
    Ok(grid)
}
