//! Tasks delimited by their label lines when the numbering cannot be trusted: a converter that
//! injected pinyin and broke the characters around the numbers leaves `1.` on some tasks only.
//! Each task is then a run of text lines followed by its label lines (`牵头单位:`, `配合单位:`,
//! `完成时限:`); the next text line starts the next task.

use super::super::units::{LabelKind, find_labels, is_not_exhaustive, labelled_spec};
use super::intext::pick_schedule;
use super::items::{Style, parse_marker};
use super::space::is_footer;
use super::{RawTask, RowsOutcome};
use regex::Regex;
use std::sync::LazyLock;

/// A number the converter broke by injecting its pinyin: `2(èr)`, `3(sān).`.
static BROKEN_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,3})\s*\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)[.、]?").expect("valid pattern")
});

/// One task's lines: its text and its labels.
struct Block<'a> {
    line: usize,
    text: Vec<&'a str>,
    labels: Vec<&'a str>,
}

/// Whether a line is a label line (starts with a label such as `牵头单位:`).
fn label_kind(line: &str) -> Option<LabelKind> {
    find_labels(line).first().filter(|l| l.span.start == 0).map(|l| l.kind)
}

/// The plan's tasks as label-delimited blocks; `None` unless at least two blocks name units.
pub(super) fn parse_label_blocks(text: &str) -> Option<RowsOutcome> {
    let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
    // The plan starts after its title (a line ending in `方案`) when it has one.
    let start = lines.iter().position(|l| l.ends_with("方案") || l.ends_with("分工表")).map_or(0, |i| i + 1);
    let mut blocks: Vec<Block<'_>> = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(start) {
        if is_footer(line) {
            break;
        }
        if line.is_empty() {
            continue;
        }
        match (label_kind(line), blocks.last_mut()) {
            (Some(_), Some(block)) => block.labels.push(line),
            (Some(_), None) => {}
            (None, Some(block)) if block.labels.is_empty() => block.text.push(line),
            (None, _) => blocks.push(Block { line: i + 1, text: vec![line], labels: Vec::new() }),
        }
    }
    let tasks: Vec<RawTask> = blocks.into_iter().filter_map(block_task).enumerate().map(numbered).collect();
    (tasks.len() >= 2).then_some(RowsOutcome { tasks, warnings: Vec::new() })
}

/// The task of a block whose labels name units.
fn block_task(block: Block<'_>) -> Option<(Option<String>, RawTask)> {
    let labels = block.labels.join("\n");
    let spec = labelled_spec(&labels)?;
    let found = find_labels(&labels);
    let value = |kind| found.iter().filter(|l| l.kind == kind).map(|l| l.value.as_str()).collect::<Vec<_>>();
    let units_text = found.iter().filter(|l| l.kind.is_unit()).map(|l| l.value.as_str()).collect::<Vec<_>>();
    // A section heading (`一、…`) above the task's own line is not part of it.
    let heading =
        block.text.len() > 1 && parse_marker(block.text[0]).is_some_and(|(style, _, _)| style == Style::CnComma);
    let text = block.text[usize::from(heading)..].join("");
    let (mark, text) = match parse_marker(&text) {
        Some((_, _, len)) => (Some(text[..len].trim_end_matches(['.', '、']).to_string()), text[len..].to_string()),
        None => match BROKEN_MARK.captures(&text) {
            Some(caps) => (Some(caps[1].to_string()), text[caps[0].len()..].to_string()),
            None => (None, text),
        },
    };
    let (title, measures) = match text.find('。') {
        Some(at) if at + '。'.len_utf8() < text.len() => (&text[..at], text[at + '。'.len_utf8()..].trim()),
        _ => (text.trim_end_matches('。'), ""),
    };
    let (schedule, schedule_source) = pick_schedule(&value(LabelKind::Schedule).join(";"), "", title, measures);
    let task = RawTask {
        seq: 0,
        number: String::new(),
        parent: None,
        title: title.to_string(),
        measures: measures.to_string(),
        units: spec,
        leader: value(LabelKind::Leader).first().map(|l| (*l).to_string()),
        schedule,
        schedule_source,
        units_not_exhaustive: is_not_exhaustive(&units_text.join("、")),
        line: block.line,
    };
    Some((mark, task))
}

/// Tasks numbered 1..N in plan order; the plan's own mark is kept where it survived.
fn numbered((index, (mark, mut task)): (usize, (Option<String>, RawTask))) -> RawTask {
    task.seq = i32::try_from(index + 1).unwrap_or(i32::MAX);
    task.number = mark.unwrap_or_else(|| task.seq.to_string());
    task
}
