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

use super::ParseWarning;
use super::notice::chinese_number;
use super::units::{find_labels, parse_units_cell, split_units};
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

/// What a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Seq,
    Title,
    Measures,
    Lead,
    Supporting,
    Units,
    Schedule,
    Other,
}

/// Header words and the column they name; at each position the longest match wins.
const HEADER_WORDS: &[(&str, Column)] = &[
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
    ("时间进度", Column::Schedule),
    ("完成时限", Column::Schedule),
    ("完成时间", Column::Schedule),
    ("时间节点", Column::Schedule),
    ("时限要求", Column::Schedule),
    ("进度安排", Column::Schedule),
    ("时间安排", Column::Schedule),
    ("时限", Column::Schedule),
    ("进度", Column::Schedule),
    ("备注", Column::Other),
];

/// The columns of the reference plan, used when a pipe table has no header.
const DEFAULT_COLUMNS: [Column; 5] = [
    Column::Seq,
    Column::Title,
    Column::Measures,
    Column::Units,
    Column::Schedule,
];

static PIPE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"序\s*号\s*\|").expect("valid pattern"));

/// `无牵头单位的,责任单位即为牵头单位` and close variants.
static NO_LEAD_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:无|没有|未(?:明确|注明|标明|列明|列)?)牵头单位的?.{0,12}?(?:责任单位|所列单位).{0,4}?(?:即为|均为|即是|都是|为|是)牵头单位")
        .expect("valid pattern")
});

/// Website footers and document tails that end the last row.
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:主办单位|承办单位:|版权所有|网站标识码|联系电话|技术支持|抄送|主题词|打印本页|关闭窗口|网站地图)|ICP备")
        .expect("valid pattern")
});

/// Finds the plan's task rows in cleaned text (see the module docs for the layouts).
pub fn parse_rows(cleaned: &str) -> RowsOutcome {
    let mut outcome = parse_pipe_table(cleaned)
        .or_else(|| parse_space_table(cleaned))
        .unwrap_or_else(|| parse_items(cleaned));
    if NO_LEAD_RULE.is_match(cleaned) {
        for task in &mut outcome.tasks {
            if let UnitSpec::Listed(units) = &task.units {
                task.units = UnitSpec::Explicit {
                    leads: units.clone(),
                    supporting: Vec::new(),
                };
            }
        }
    }
    check_seqs(&outcome.tasks, &mut outcome.warnings);
    outcome
}

fn warning(line: usize, code: &'static str, message: String) -> ParseWarning {
    ParseWarning {
        line: Some(line),
        code,
        message,
    }
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

/// Text without any whitespace, for comparing headers like `工 作 任 务`.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Columns named in a compact header, in order.
fn header_columns(header: &str) -> Vec<Column> {
    let mut columns = Vec::new();
    let mut rest = header;
    while let Some(c) = rest.chars().next() {
        let best = HEADER_WORDS
            .iter()
            .filter(|(word, _)| rest.starts_with(word))
            .max_by_key(|(word, _)| word.len());
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
fn seq_number(cell: &str) -> Option<i32> {
    let cell = cell.trim().trim_end_matches(['.', '、']);
    if !cell.is_empty() && cell.len() <= 4 && cell.bytes().all(|b| b.is_ascii_digit()) {
        return cell.parse().ok();
    }
    chinese_number(cell)
}

/// The cells of one row, by column.
#[derive(Debug, Default)]
struct Fields {
    title: String,
    measures: String,
    lead: String,
    supporting: String,
    units: String,
    schedule: String,
}

impl Fields {
    fn from_cells(columns: &[Column], cells: &[String]) -> Self {
        let mut fields = Fields::default();
        for (column, cell) in columns.iter().zip(cells) {
            let slot = match column {
                Column::Title => &mut fields.title,
                Column::Measures => &mut fields.measures,
                Column::Lead => &mut fields.lead,
                Column::Supporting => &mut fields.supporting,
                Column::Units => &mut fields.units,
                Column::Schedule => &mut fields.schedule,
                Column::Seq | Column::Other => continue,
            };
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

    fn into_task(self, seq: i32, line: usize) -> RawTask {
        RawTask {
            seq,
            units: self.units(),
            title: self.title,
            measures: self.measures,
            schedule: self.schedule,
            line,
        }
    }
}

/// A row being collected.
struct Row {
    seq: i32,
    line: usize,
    cells: Vec<String>,
}

/// Turns a collected row into a task, warning when cells are missing or extra.
fn finish_row(row: Row, columns: &[Column], warnings: &mut Vec<ParseWarning>) -> RawTask {
    let wanted = columns.len().saturating_sub(1);
    if row.cells.len() < wanted {
        let msg = format!(
            "第 {} 行缺少单元格:应有 {wanted} 个,只有 {} 个",
            row.seq,
            row.cells.len()
        );
        warnings.push(warning(row.line, "ROW_INCOMPLETE", msg));
    } else if row.cells.len() > wanted {
        let msg = format!(
            "第 {} 行多出单元格:应有 {wanted} 个,实有 {} 个",
            row.seq,
            row.cells.len()
        );
        warnings.push(warning(row.line, "ROW_EXTRA_CELLS", msg));
    }
    let data_columns = columns.get(1..).unwrap_or_default();
    Fields::from_cells(data_columns, &row.cells).into_task(row.seq, row.line)
}

/// A pipe-table cell and the line its text starts on.
struct Cell {
    text: String,
    line: usize,
}

/// Cells of a pipe table from `start` on; text after the last `|` (the footer) is dropped.
fn pipe_cells(text: &str, start: usize) -> Vec<Cell> {
    let mut line = 1 + text[..start].matches('\n').count();
    let mut cells = Vec::new();
    let body = &text[start..];
    let pieces: Vec<&str> = body.split('|').collect();
    for piece in pieces.iter().take(pieces.len().saturating_sub(1)) {
        let lead = piece.len() - piece.trim_start().len();
        let text_line = line + piece[..lead].matches('\n').count();
        cells.push(Cell {
            text: piece.trim().to_string(),
            line: text_line,
        });
        line += piece.matches('\n').count();
    }
    cells
}

fn is_header_cell(cell: &str) -> bool {
    let compact = compact(cell);
    compact.chars().count() <= 8
        && seq_number(&compact).is_none()
        && !header_columns(&compact).is_empty()
}

/// Reads a (repeated) header row starting at `at`: its columns and the index after it.
fn read_pipe_header(cells: &[Cell], at: usize) -> (Vec<Column>, usize) {
    let end = (at + 1..cells.len())
        .find(|&j| !is_header_cell(&cells[j].text))
        .unwrap_or(cells.len());
    let header: String = cells[at..end].iter().map(|c| compact(&c.text)).collect();
    (header_columns(&header), end)
}

/// The reference layout: `序号 | 工作任务 | … |` then one cell per `|`.
fn parse_pipe_table(text: &str) -> Option<RowsOutcome> {
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
        let starts_row = seq_number(&cell.text).filter(|&seq| {
            row.as_ref()
                .is_none_or(|r| r.cells.len() >= wanted || seq == r.seq.saturating_add(1))
        });
        match (starts_row, row.as_mut()) {
            (Some(seq), _) => {
                let new = Row {
                    seq,
                    line: cell.line,
                    cells: Vec::new(),
                };
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

/// A header line of a whitespace table: starts with `序号`, names at least three columns.
fn space_header(line: &str) -> Option<Vec<Column>> {
    let compact = compact(line);
    if line.contains('|') || !compact.starts_with("序号") || compact.chars().count() > 60 {
        return None;
    }
    let columns = header_columns(&compact);
    (columns.len() >= 3).then_some(columns)
}

/// Spreads whitespace-separated tokens over the data columns; the measures column (or the title
/// when there is none) takes what is left over, so wrapped text still lands in one cell.
fn distribute(data_columns: &[Column], tokens: &[&str]) -> Vec<String> {
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
fn parse_space_table(text: &str) -> Option<RowsOutcome> {
    let lines: Vec<&str> = text.split('\n').collect();
    let (header_at, columns) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| space_header(l).map(|c| (i, c)))?;
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
fn is_footer(line: &str) -> bool {
    FOOTER.is_match(line)
}

/// Label values of one kind in a text, joined.
fn label_text(text: &str, kind: super::units::LabelKind) -> String {
    find_labels(text)
        .into_iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.value)
        .collect::<Vec<_>>()
        .join(";")
}

/// How a numbered item is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// `一、`
    CnComma,
    /// `(一)`
    ParenCn,
    /// `1.`
    ArabicDot,
    /// `1、`
    ArabicComma,
    /// `(1)`
    ParenArabic,
}

/// `由X会同Y负责`, `由X牵头,Y配合`.
static BY_WITH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"由([^,;。()\n]{2,60}?)(?:会同|牵头,?)([^。;()\n]{2,200}?)(?:共同)?(?:负责|配合|参与|实施|落实)")
        .expect("valid pattern")
});

/// `由X负责`.
static BY_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"由([^,;。()\n]{2,80}?)负责").expect("valid pattern"));

fn is_cn_digit(c: char) -> bool {
    "〇零一二三四五六七八九十百两".contains(c)
}

/// `(一)` or `(1)`, given the text after the opening bracket.
fn paren_marker(inner: &str) -> Option<(Style, i32, usize)> {
    let close = inner.char_indices().take(6).find(|(_, c)| *c == ')')?.0;
    let number = &inner[..close];
    let style = if number.chars().all(is_cn_digit) {
        Style::ParenCn
    } else if number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit()) {
        Style::ParenArabic
    } else {
        return None;
    };
    Some((style, seq_number(number)?, close + 2))
}

/// A numbering mark at the start of `text`: style, number and the mark's length in bytes.
fn parse_marker(text: &str) -> Option<(Style, i32, usize)> {
    if let Some(inner) = text.strip_prefix('(') {
        return paren_marker(inner);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &text[digits..];
        let (style, mark) = match rest.chars().next() {
            Some('.') => (Style::ArabicDot, 1),
            Some('、') => (Style::ArabicComma, '、'.len_utf8()),
            _ => return None,
        };
        if rest[mark..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((style, text[..digits].parse().ok()?, digits + mark));
    }
    let cn: usize = text
        .chars()
        .take_while(|c| is_cn_digit(*c))
        .take(4)
        .map(char::len_utf8)
        .sum();
    let rest = text.get(cn..)?;
    (cn > 0 && rest.starts_with('、'))
        .then(|| {
            Some((
                Style::CnComma,
                chinese_number(&text[..cn])?,
                cn + '、'.len_utf8(),
            ))
        })
        .flatten()
}

/// A stretch of one line: a whole line, or the part of it from a numbering mark on.
struct Piece<'a> {
    line: usize,
    text: &'a str,
}

fn boundary_before(prev: Option<char>) -> bool {
    prev.is_some_and(|c| c.is_whitespace() || "。;:!?)」”》".contains(c))
}

/// Lines, split again before numbering marks that follow punctuation outside brackets, so that
/// a plan pasted as one line still falls apart into items.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let (mut start, mut depth, mut prev) = (0, 0usize, None);
        for (i, c) in line.char_indices() {
            if depth == 0
                && i > start
                && boundary_before(prev)
                && parse_marker(&line[i..]).is_some()
            {
                out.push(Piece {
                    line: index + 1,
                    text: &line[start..i],
                });
                start = i;
            }
            depth = match c {
                '(' | '[' | '【' => depth + 1,
                ')' | ']' | '】' => depth.saturating_sub(1),
                _ => depth,
            };
            prev = Some(c);
        }
        out.push(Piece {
            line: index + 1,
            text: &line[start..],
        });
    }
    out
}

/// A numbering mark found at the start of a piece.
struct Mark {
    piece: usize,
    style: Style,
    seq: i32,
    body_start: usize,
}

/// A numbered item with its text (mark removed, sub-items included).
struct Item {
    seq: i32,
    line: usize,
    text: String,
    has_units: bool,
}

fn find_marks(pieces: &[Piece<'_>]) -> Vec<Mark> {
    pieces
        .iter()
        .enumerate()
        .filter_map(|(piece, p)| {
            let trimmed = p.text.trim_start();
            let (style, seq, len) = parse_marker(trimmed)?;
            let body_start = p.text.len() - trimmed.len() + len;
            Some(Mark {
                piece,
                style,
                seq,
                body_start,
            })
        })
        .collect()
}

/// Items of one style: each runs to the next mark of the same or a higher level, or `end`.
fn items_of(
    style: Style,
    marks: &[Mark],
    order: &[Style],
    pieces: &[Piece<'_>],
    end: usize,
) -> Vec<Item> {
    let rank = |s: Style| order.iter().position(|o| *o == s).unwrap_or(usize::MAX);
    let mut items = Vec::new();
    for (k, mark) in marks.iter().enumerate().filter(|(_, m)| m.style == style) {
        let next = marks[k + 1..]
            .iter()
            .find(|m| rank(m.style) <= rank(style))
            .map_or(end, |m| m.piece)
            .min(end);
        let first = &pieces[mark.piece];
        let mut text = first.text[mark.body_start..].to_string();
        for piece in pieces.get(mark.piece + 1..next).unwrap_or_default() {
            text.push('\n');
            text.push_str(piece.text);
        }
        let has_units = item_units(&text).is_some();
        items.push(Item {
            seq: mark.seq,
            line: first.line,
            text,
            has_units,
        });
    }
    items
}

/// Numbered items: picks the numbering level whose items carry units.
fn parse_items(text: &str) -> RowsOutcome {
    let pieces = pieces(text);
    let marks = find_marks(&pieces);
    let first = marks.first().map_or(0, |m| m.piece);
    let end = (first..pieces.len())
        .find(|&i| is_footer(pieces[i].text))
        .unwrap_or(pieces.len());
    let mut order: Vec<Style> = Vec::new();
    for mark in marks.iter().filter(|m| m.piece < end) {
        if !order.contains(&mark.style) {
            order.push(mark.style);
        }
    }
    let best = order
        .iter()
        .enumerate()
        .map(|(rank, s)| (rank, items_of(*s, &marks, &order, &pieces, end)))
        .max_by_key(|(rank, items)| {
            let with = items.iter().filter(|i| i.has_units).count();
            (
                with,
                with * 1000 / items.len().max(1),
                std::cmp::Reverse(*rank),
            )
        })
        .map(|(_, items)| items)
        .unwrap_or_default();
    tasks_from_items(best)
}

/// Items between the first and the last that carry units become tasks.
fn tasks_from_items(items: Vec<Item>) -> RowsOutcome {
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let first = items.iter().position(|i| i.has_units);
    let last = items.iter().rposition(|i| i.has_units);
    let (Some(first), Some(last)) = (first, last) else {
        return RowsOutcome { tasks, warnings };
    };
    for item in &items[first..=last] {
        if !item.has_units {
            let msg = format!("第 {} 项没有找到负责单位", item.seq);
            warnings.push(warning(item.line, "ROW_INCOMPLETE", msg));
        }
        tasks.push(item_task(item));
    }
    RowsOutcome { tasks, warnings }
}

/// Turns one item into a task: title and measures before the units, schedule from labels.
fn item_task(item: &Item) -> RawTask {
    let text = item.text.as_str();
    let (cut, units) = item_units(text).unwrap_or((text.len(), UnitSpec::Listed(Vec::new())));
    let mut body = text[..cut].to_string();
    for label in find_labels(text).iter().rev().filter(|l| l.span.end <= cut) {
        body.replace_range(label.span.clone(), "");
    }
    let mut lines = body.split('\n').map(str::trim).filter(|l| !l.is_empty());
    let title = lines
        .next()
        .unwrap_or_default()
        .trim_end_matches(['。', ';', ',', ':', ' '])
        .to_string();
    let rest: Vec<&str> = lines.collect();
    let labelled_measures = label_text(text, super::units::LabelKind::Measures);
    RawTask {
        seq: item.seq,
        title,
        measures: if labelled_measures.is_empty() {
            rest.join("\n")
        } else {
            labelled_measures
        },
        units,
        schedule: label_text(text, super::units::LabelKind::Schedule),
        line: item.line,
    }
}

/// Where an item's units start and what they say: a units parenthesis, label lines, or a
/// `由X会同Y负责` clause.
fn item_units(text: &str) -> Option<(usize, UnitSpec)> {
    if let Some(found) = units_paren(text) {
        return Some(found);
    }
    let labels = find_labels(text);
    if labels.iter().any(|l| l.kind.is_unit()) {
        let cut = labels.first().map_or(0, |l| l.span.start);
        return super::units::labelled_spec(&text[cut..]).map(|spec| (cut, spec));
    }
    by_clause(text)
}

/// The last bracket group whose content reads as units.
fn units_paren(text: &str) -> Option<(usize, UnitSpec)> {
    const NOTES: [&str; 6] = ["下同", "首位", "第一位", "排名第一", "排在第一", "列在"];
    super::units::bracket_groups(text)
        .into_iter()
        .rev()
        .find_map(|group| {
            let inner = text.get(group.clone())?;
            let open = inner.chars().next()?.len_utf8();
            let close = inner.chars().next_back()?.len_utf8();
            let content = inner.get(open..inner.len().checked_sub(close)?)?;
            if NOTES.iter().any(|n| content.contains(n)) {
                return None;
            }
            let spec = parse_units_cell(content)?;
            match &spec {
                UnitSpec::Explicit { .. } => Some((group.start, spec)),
                UnitSpec::Listed(names) => names
                    .iter()
                    .all(|n| looks_like_unit(n))
                    .then_some((group.start, spec)),
            }
        })
}

/// Whether a name ends like a government unit (`…局`, `…委`, `…办`, `…部门`, `…中心` …).
fn looks_like_unit(name: &str) -> bool {
    name.chars().count() >= 2
        && name
            .chars()
            .next_back()
            .is_some_and(|c| "局委办府院会社行队所部室处厅站团馆署组台厂校心司联".contains(c))
        || name.ends_with("单位")
}

/// `由X会同Y负责`, `由X牵头,Y配合`, `由X负责` in running text.
fn by_clause(text: &str) -> Option<(usize, UnitSpec)> {
    if let Some(caps) = BY_WITH.captures(text) {
        let leads = split_units(caps.get(1)?.as_str());
        let supporting = split_units(caps.get(2)?.as_str());
        let start = caps.get(0)?.start();
        return Some((start, UnitSpec::Explicit { leads, supporting }));
    }
    let caps = BY_ONLY.captures(text)?;
    let names = split_units(caps.get(1)?.as_str());
    (!names.is_empty() && names.iter().all(|n| looks_like_unit(n)))
        .then(|| Some((caps.get(0)?.start(), UnitSpec::Listed(names))))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::super::clean::clean;
    use super::*;
    use proptest::prelude::*;

    const REFERENCE: &str = include_str!("../../../data/panshan-2014-103.txt");

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_string()).collect()
    }

    fn explicit(leads: &[&str], supporting: &[&str]) -> UnitSpec {
        UnitSpec::Explicit {
            leads: names(leads),
            supporting: names(supporting),
        }
    }

    fn rows_of(raw: &str) -> RowsOutcome {
        parse_rows(&clean(raw))
    }

    fn seqs(outcome: &RowsOutcome) -> Vec<i32> {
        outcome.tasks.iter().map(|t| t.seq).collect()
    }

    fn assert_reference_tasks(outcome: &RowsOutcome) {
        assert_eq!(seqs(outcome), (1..=26).collect::<Vec<_>>());
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
        let first = &outcome.tasks[0];
        assert_eq!(
            first.units,
            UnitSpec::Listed(names(&[
                "县民政局",
                "县发展改革委",
                "县财政局",
                "县政府其他有关部门",
                "各镇人民政府"
            ]))
        );
        assert!(first.measures.contains("医保(新农合)"));
        assert_eq!(first.schedule, "2014年12月底前落实并持续实施");
        let eleventh = &outcome.tasks[10];
        assert_eq!(
            eleventh.title,
            "规划、建设自然灾害救助物资储备库,保障救助物资供应"
        );
        let UnitSpec::Listed(units) = &outcome.tasks[23].units else {
            panic!("task 24 is listed")
        };
        assert_eq!(units.len(), 17);
        for name in ["人民银行盘山分行", "农业银行盘山县支行", "县信用联社"] {
            assert!(units.iter().any(|u| u == name), "{name}");
        }
        assert_eq!(outcome.tasks[25].schedule, "持续实施");
    }

    #[test]
    fn reads_the_reference_pipe_table() {
        let outcome = rows_of(REFERENCE);
        assert_reference_tasks(&outcome);
        assert_eq!(outcome.tasks[0].line, 13);
        assert_eq!(outcome.tasks[10].line, 68);
        let all = format!("{:?}", outcome.tasks);
        for artifact in ["(fā)", "(zhèn)", "(jīng)", "發", "縣"] {
            assert!(!all.contains(artifact), "{artifact}");
        }
    }

    #[test]
    fn reads_the_reference_on_one_line() {
        let one_line = clean(REFERENCE).replace('\n', " ");
        let outcome = parse_rows(&one_line);
        assert_reference_tasks(&outcome);
    }

    #[test]
    fn reads_numbered_items_with_label_parentheses() {
        let outcome = rows_of(include_str!("fixtures/layout2-paren-labels.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2, 3, 4]);
        let t = &outcome.tasks;
        assert_eq!(
            t[0].title,
            "压缩企业开办时间。将企业开办时间压缩至1个工作日以内"
        );
        assert_eq!(
            t[0].units,
            explicit(
                &["县市场监管局"],
                &["县税务局", "县公安局", "县人力资源社会保障局"]
            )
        );
        assert_eq!(t[1].title, "推进政务服务“一网通办”");
        assert_eq!(
            t[1].units,
            explicit(&["县行政审批局"], &["县大数据中心", "各乡镇人民政府"])
        );
        assert_eq!(
            t[2].units,
            explicit(&["县发展改革局", "县财政局"], &["各县(市、区)政府"])
        );
        assert_eq!(t[2].schedule, "2021年6月底前");
        assert_eq!(t[3].units, explicit(&["县税务局"], &[]));
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    }

    #[test]
    fn reads_label_lines() {
        let outcome = rows_of(include_str!("fixtures/layout3-label-lines.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2, 3]);
        let t = &outcome.tasks;
        assert_eq!(t[0].title, "实施城镇老旧小区改造");
        assert_eq!(t[0].measures, "改造老旧小区12个,惠及居民3000户。");
        assert_eq!(
            t[0].units,
            explicit(
                &["县住房城乡建设局"],
                &["县财政局", "县发展改革局", "各镇人民政府"]
            )
        );
        assert_eq!(t[0].schedule, "2022年11月底前");
        assert_eq!(
            t[1].units,
            explicit(&["县交通运输局"], &["县财政局", "县自然资源局"])
        );
        assert_eq!(t[1].schedule, "2022年10月底前");
        assert_eq!(
            t[2].units,
            explicit(&["县教育局"], &["县财政局", "县人力资源社会保障局"])
        );
        assert_eq!(t[2].schedule, "持续推进");
    }

    #[test]
    fn responsible_units_alone_are_listed() {
        let outcome = rows_of(include_str!("fixtures/layout4-listed.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2, 3]);
        let t = &outcome.tasks;
        assert_eq!(t[0].title, "新建城区公办幼儿园2所");
        assert_eq!(
            t[0].units,
            UnitSpec::Listed(names(&["县教育局", "县住房城乡建设局", "县财政局"]))
        );
        assert_eq!(
            t[1].units,
            UnitSpec::Listed(names(&["县水利局", "各镇人民政府"]))
        );
        assert_eq!(t[1].schedule, "年底前");
        assert_eq!(t[2].units, UnitSpec::Listed(names(&["县卫生健康局"])));
    }

    #[test]
    fn the_no_lead_rule_makes_every_responsible_unit_a_lead() {
        let outcome = rows_of(include_str!("fixtures/layout4-rule.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2]);
        let t = &outcome.tasks;
        assert_eq!(
            t[0].units,
            explicit(&["县教育局", "县住房城乡建设局", "县财政局"], &[])
        );
        assert_eq!(
            t[1].units,
            explicit(&["县水利局"], &["县财政局", "各镇人民政府"])
        );
    }

    #[test]
    fn reads_inline_leads_and_by_clauses() {
        let outcome = rows_of(include_str!("fixtures/layout5-inline.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2, 3, 4]);
        let t = &outcome.tasks;
        assert_eq!(t[0].title, "推进高标准农田建设,新建高标准农田2万亩");
        assert_eq!(
            t[0].units,
            explicit(&["县农业农村局"], &["县财政局", "县自然资源局"])
        );
        assert_eq!(
            t[1].units,
            explicit(&["县农业农村局", "县市场监管局"], &["各镇人民政府"])
        );
        assert_eq!(t[2].title, "开展农村生活垃圾治理");
        assert_eq!(
            t[2].units,
            explicit(&["县住房城乡建设局"], &["县生态环境局", "各镇人民政府"])
        );
        assert_eq!(t[3].units, UnitSpec::Listed(names(&["县农业农村局"])));
    }

    #[test]
    fn reads_a_whitespace_table_with_a_spaced_header() {
        let outcome = rows_of(include_str!("fixtures/layout6-space-table.txt"));
        assert_eq!(seqs(&outcome), vec![1, 2, 3, 4, 5]);
        let t = &outcome.tasks;
        assert_eq!(t[0].title, "建设县城污水处理厂二期工程");
        assert_eq!(
            t[0].units,
            explicit(&["县住房城乡建设局"], &["县发展改革局", "县财政局"])
        );
        assert_eq!(t[0].schedule, "2023年12月底前");
        assert_eq!(t[3].title, "推进政务服务“一网通办”");
        assert_eq!(t[3].units, explicit(&["县行政审批局"], &["县大数据中心"]));
        assert_eq!(t[2].schedule, "年内");
        let codes: Vec<_> = outcome.warnings.iter().map(|w| (w.code, w.line)).collect();
        assert_eq!(codes, vec![("ROW_INCOMPLETE", Some(8))]);
    }

    #[test]
    fn reads_a_traditional_notice_on_one_line() {
        let raw = include_str!("fixtures/layout7-traditional-one-line.txt");
        assert_eq!(raw.lines().count(), 1);
        let outcome = rows_of(raw);
        assert_eq!(seqs(&outcome), vec![1, 2, 3]);
        let t = &outcome.tasks;
        assert_eq!(t[0].title, "完善最低生活保障制度");
        assert_eq!(
            t[0].units,
            explicit(&["县民政局"], &["县财政局", "县统计局"])
        );
        assert_eq!(
            t[1].units,
            explicit(&["县民政局", "县卫生计生局"], &["县财政局"])
        );
        assert_eq!(t[1].schedule, "2015年6月底前");
        assert_eq!(t[2].units, explicit(&["县民政局"], &["各镇人民政府"]));
        let simplified = rows_of(&super::super::clean::to_simplified(raw));
        assert_eq!(simplified, outcome);
    }

    #[test]
    fn warns_about_sequence_gaps_repeats_and_missing_cells() {
        let text = "序号 | 工作任务 | 落实措施 | 负责单位 | 时间进度 |\n1 | 甲 | 措施 | 县民政局 | 年内 |\n3 | 乙 | 措施 | 县财政局 | 年内 |\n3 | 丙 | 措施 | 县财政局 | 年内 |\n4 | 丁 | 县教育局 |\n";
        let outcome = parse_rows(text);
        assert_eq!(seqs(&outcome), vec![1, 3, 3, 4]);
        let codes: Vec<_> = outcome.warnings.iter().map(|w| (w.code, w.line)).collect();
        assert_eq!(
            codes,
            vec![
                ("ROW_INCOMPLETE", Some(5)),
                ("SEQ_GAP", Some(3)),
                ("SEQ_DUPLICATE", Some(4))
            ]
        );
    }

    #[test]
    fn numbering_marks() {
        assert_eq!(parse_marker("1.建立"), Some((Style::ArabicDot, 1, 2)));
        assert_eq!(parse_marker("12、建立"), Some((Style::ArabicComma, 12, 5)));
        assert_eq!(parse_marker("(十一)建立"), Some((Style::ParenCn, 11, 8)));
        assert_eq!(parse_marker("(3)建立"), Some((Style::ParenArabic, 3, 3)));
        assert_eq!(parse_marker("二十、建立"), Some((Style::CnComma, 20, 9)));
        assert_eq!(parse_marker("1.5倍"), None);
        assert_eq!(parse_marker("统一、规范"), None);
        assert_eq!(parse_marker("(新农合)"), None);
    }

    fn mutate(text: &str, at: usize, len: usize, insert: &str) -> String {
        let mut start = at.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{}{}", &text[..start], insert, &text[end..])
    }

    proptest! {
        #[test]
        fn parse_rows_never_panics(s in "\\PC*") {
            let _ = parse_rows(&s);
            let _ = parse_rows(&clean(&s));
        }

        #[test]
        fn parse_rows_survives_table_soup(s in "[0-9一二十()、.|:;,\\n 牵头单位责任配合序号工作任务由会同负责县局]{0,200}") {
            let _ = parse_rows(&s);
        }

        #[test]
        fn parse_rows_survives_mutated_reference(
            at in 0usize..12000,
            len in 0usize..400,
            insert in "(\\PC|\\||\\n|\\(|\\)){0,12}",
        ) {
            let raw = mutate(REFERENCE, at, len, &insert);
            let outcome = parse_rows(&clean(&raw));
            prop_assert!(outcome.tasks.len() <= 40);
        }

        #[test]
        fn parse_rows_survives_mutated_fixtures(at in 0usize..1200, len in 0usize..80, insert in "\\PC{0,6}") {
            for fixture in [
                include_str!("fixtures/layout2-paren-labels.txt"),
                include_str!("fixtures/layout3-label-lines.txt"),
                include_str!("fixtures/layout5-inline.txt"),
                include_str!("fixtures/layout6-space-table.txt"),
                include_str!("fixtures/layout7-traditional-one-line.txt"),
            ] {
                let _ = parse_rows(&clean(&mutate(fixture, at, len, &insert)));
            }
        }
    }
}
