//! The outline of a numbered plan: which mark stands under which, which level holds the tasks,
//! and which sub-measures become tasks of their own.
//!
//! A mark whose style an open ancestor has is that ancestor's sibling; any other mark opens a
//! level below the last one. A list introduced by a measures label (`主要措施:(1)…`) always
//! opens a level, even in its parent's style. The task level is the one with most items that
//! name their own units; it moves one level up when those items sit under parents that name
//! units too or introduce them as measures. Under a task, sub-measures become tasks when at
//! least one names its own units; those without units inherit the task's.

use super::items::{ItemFields, Mark, Piece, item_fields};
use super::{RawTask, RowsOutcome, UnitSpec, warning};
use regex::Regex;
use std::sync::LazyLock;

/// `主要措施:`, `具体措施:` at the end of the text before a list.
static MEASURES_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:措施|主要内容|重点工作|工作内容|具体包括|包括)\s*:\s*$").expect("valid pattern"));

/// Keeps a weak mark (`7.100个…`) only when it numbers on from the last kept mark of its style,
/// or is a first item (`1.2022年…`) followed by item 2.
pub(super) fn keep_weak_marks(marks: Vec<Mark>) -> Vec<Mark> {
    let mut kept: Vec<Mark> = Vec::with_capacity(marks.len());
    for (i, mark) in marks.iter().enumerate() {
        let previous = kept.iter().rev().find(|m| m.style == mark.style);
        let numbers_on = previous.is_some_and(|m| m.seq + 1 == mark.seq);
        let first = mark.seq == 1
            && previous.is_none()
            && marks[i + 1..].iter().find(|m| m.style == mark.style).is_some_and(|m| m.seq == 2);
        if !mark.weak || numbers_on || first {
            kept.push(mark.clone());
        }
    }
    kept
}

/// One mark in the outline.
struct Node {
    depth: usize,
    parent: Option<usize>,
    /// Opened by a measures label: a sub-list, even in its parent's style.
    sublist: bool,
}

fn ends_with_measures_label(text: &str) -> bool {
    MEASURES_LABEL.is_match(text.trim_end())
}

/// The text right before mark `i`: the piece before it.
fn text_before<'a>(marks: &[Mark], pieces: &[Piece<'a>], i: usize) -> &'a str {
    let piece = marks[i].piece;
    piece.checked_sub(1).map_or("", |p| pieces[p].text)
}

fn build(marks: &[Mark], pieces: &[Piece<'_>]) -> Vec<Node> {
    let mut nodes: Vec<Node> = Vec::with_capacity(marks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, mark) in marks.iter().enumerate() {
        let opens_list = !stack.is_empty() && ends_with_measures_label(text_before(marks, pieces, i));
        let mut sublist = opens_list;
        if !opens_list && let Some(j) = stack.iter().rposition(|&n| marks[n].style == mark.style) {
            let sibling = stack[j];
            // A sub-list in its parent's style goes on while it counts on; else the parent's list does.
            let outer = stack[..j].iter().rposition(|&n| marks[n].style == mark.style);
            let closes = nodes[sibling].sublist && marks[sibling].seq + 1 != mark.seq && outer.is_some();
            let keep = if closes { outer.unwrap_or(j) } else { j };
            sublist = nodes[stack[keep]].sublist;
            stack.truncate(keep);
        }
        let parent = stack.last().copied();
        nodes.push(Node { depth: stack.len(), parent, sublist });
        stack.push(i);
    }
    nodes
}

/// Text of mark `i` up to mark `next` (exclusive) or `end`.
fn text_between(marks: &[Mark], pieces: &[Piece<'_>], i: usize, next: usize) -> String {
    let mark = &marks[i];
    let mut text = pieces[mark.piece].text[mark.body_start..].to_string();
    for piece in pieces.get(mark.piece + 1..next).unwrap_or_default() {
        text.push('\n');
        text.push_str(piece.text);
    }
    text
}

/// Outline positions, texts and unit findings of every mark.
struct Outline<'a> {
    marks: &'a [Mark],
    nodes: Vec<Node>,
    children: Vec<Vec<usize>>,
    /// Own text: up to the next mark of any level.
    own: Vec<String>,
    /// Where the whole text (up to the next mark at the same or a higher level) ends, as a
    /// piece index. Whole texts overlap, so they are only built for the marks that need one.
    whole_end: Vec<usize>,
    own_units: Vec<bool>,
}

impl<'a> Outline<'a> {
    fn new(marks: &'a [Mark], pieces: &[Piece<'_>], end: usize) -> Self {
        let nodes = build(marks, pieces);
        let next_piece = |k: Option<&Mark>| k.map_or(end, |m| m.piece).min(end);
        let own: Vec<String> =
            (0..marks.len()).map(|i| text_between(marks, pieces, i, next_piece(marks.get(i + 1)))).collect();
        // The next mark at the same or a higher level, found from the right with a stack.
        let mut whole_end = vec![end; marks.len()];
        let mut open: Vec<usize> = Vec::new();
        for (k, node) in nodes.iter().enumerate() {
            while open.last().is_some_and(|&i| nodes[i].depth >= node.depth) {
                if let Some(i) = open.pop() {
                    whole_end[i] = next_piece(Some(&marks[k]));
                }
            }
            open.push(k);
        }
        let mut children = vec![Vec::new(); marks.len()];
        for (k, node) in nodes.iter().enumerate() {
            if let Some(p) = node.parent {
                children[p].push(k);
            }
        }
        let own_units = own.iter().map(|t| super::items_units::item_units(t).is_some()).collect();
        Outline { marks, nodes, children, own, whole_end, own_units }
    }

    /// The whole text of mark `i`, sub-items included.
    fn whole(&self, pieces: &[Piece<'_>], i: usize) -> String {
        text_between(self.marks, pieces, i, self.whole_end[i])
    }

    /// The plan's numbering of mark `i`: its ancestors' marks, then its own (`一、(二)3`).
    fn number(&self, i: usize) -> String {
        let mut chain = vec![i];
        while let Some(p) = self.nodes[*chain.last().unwrap_or(&i)].parent {
            chain.push(p);
        }
        let mut out = String::new();
        for k in chain.into_iter().rev() {
            let label = &self.marks[k].label;
            if out.ends_with(|c: char| c.is_ascii_digit()) && label.starts_with(|c: char| c.is_ascii_digit()) {
                out.push('.');
            }
            out.push_str(label);
        }
        out
    }

    /// The depth of the task level (see the module docs).
    fn task_depth(&self) -> Option<usize> {
        let max_depth = self.nodes.iter().map(|n| n.depth).max()?;
        let count = |d: usize| (0..self.nodes.len()).filter(|&i| self.nodes[i].depth == d && self.own_units[i]).count();
        let best = (0..=max_depth).max_by_key(|&d| (count(d), std::cmp::Reverse(d)))?;
        if count(best) == 0 {
            return None;
        }
        let with_units: Vec<usize> =
            (0..self.nodes.len()).filter(|&i| self.nodes[i].depth == best && self.own_units[i]).collect();
        let under_task = with_units
            .iter()
            .filter(|&&i| self.nodes[i].parent.is_some_and(|p| self.own_units[p] || self.nodes[i].sublist))
            .count();
        Some(if best > 0 && under_task * 2 > with_units.len() { best - 1 } else { best })
    }
}

/// Tasks of a numbered plan, sub-measures included.
pub(super) fn tasks_of(marks: &[Mark], pieces: &[Piece<'_>], end: usize) -> RowsOutcome {
    let outline = Outline::new(marks, pieces, end);
    let (mut tasks, mut warnings) = (Vec::new(), Vec::new());
    let Some(depth) = outline.task_depth() else {
        return RowsOutcome { tasks, warnings };
    };
    let level: Vec<usize> = (0..marks.len()).filter(|&i| outline.nodes[i].depth == depth).collect();
    let subs: Vec<Vec<usize>> = level
        .iter()
        .map(|&i| {
            let children = &outline.children[i];
            if children.iter().any(|&c| outline.own_units[c]) { children.clone() } else { Vec::new() }
        })
        .collect();
    let carries = |k: usize| outline.own_units[level[k]] || !subs[k].is_empty();
    let (Some(first), Some(last)) = ((0..level.len()).find(|&k| carries(k)), (0..level.len()).rposition(&carries))
    else {
        return RowsOutcome { tasks, warnings };
    };
    for k in first..=last {
        let i = level[k];
        let line = pieces[marks[i].piece].line;
        if !carries(k) {
            let msg = format!("第 {} 项没有找到负责单位", marks[i].seq);
            warnings.push(warning(line, "ROW_INCOMPLETE", msg));
        }
        push_task(&outline, pieces, i, &subs[k], &mut tasks);
    }
    renumber(&mut tasks);
    RowsOutcome { tasks, warnings }
}

/// Pushes task `i` and its sub-measures (parents keep the plan's number until [`renumber`]).
fn push_task(outline: &Outline<'_>, pieces: &[Piece<'_>], i: usize, subs: &[usize], tasks: &mut Vec<RawTask>) {
    let marks = outline.marks;
    let mut fields =
        if subs.is_empty() { item_fields(&outline.whole(pieces, i)) } else { item_fields(&outline.own[i]) };
    let children: Vec<ItemFields> = subs.iter().map(|&c| item_fields(&outline.whole(pieces, c))).collect();
    if fields.units.is_none() && !children.is_empty() {
        fields.units = Some(units_of_children(&children));
    }
    let parent_index = tasks.len();
    let parent = fields.units.clone();
    let (schedule, source) = (fields.schedule.clone(), fields.schedule_source);
    tasks.push(fields.into_task(marks[i].seq, outline.number(i), pieces[marks[i].piece].line));
    for (&c, mut child) in subs.iter().zip(children) {
        if child.units.is_none() {
            child.units = parent.clone();
        }
        if child.schedule.is_empty() {
            (child.schedule, child.schedule_source) = (schedule.clone(), source);
        }
        let mut task = child.into_task(marks[c].seq, outline.number(c), pieces[marks[c].piece].line);
        task.parent = Some(i32::try_from(parent_index).unwrap_or(i32::MAX));
        tasks.push(task);
    }
}

/// A task that names no units of its own is led by its sub-measures' leads, supported by the rest.
fn units_of_children(children: &[ItemFields]) -> UnitSpec {
    let (mut leads, mut supporting) = (Vec::new(), Vec::new());
    for child in children {
        let (child_leads, child_rest): (Vec<String>, Vec<String>) = match &child.units {
            Some(UnitSpec::Explicit { leads, supporting }) => (leads.clone(), supporting.clone()),
            Some(UnitSpec::Listed(names)) => {
                (names.iter().take(1).cloned().collect(), names.iter().skip(1).cloned().collect())
            }
            None => continue,
        };
        for name in child_leads {
            if !leads.contains(&name) {
                leads.push(name);
            }
        }
        supporting.extend(child_rest);
    }
    let mut rest: Vec<String> = Vec::new();
    for name in supporting {
        if !leads.contains(&name) && !rest.contains(&name) {
            rest.push(name);
        }
    }
    UnitSpec::Explicit { leads, supporting: rest }
}

/// Numbers tasks 1..N in plan order when sub-measures became tasks or the plan's numbers do not
/// rise (numbering restarted in each section); parents are then named by their new number.
/// Until here `parent` holds the parent's index in `tasks`.
fn renumber(tasks: &mut [RawTask]) {
    let rising = tasks.windows(2).all(|w| w[0].seq < w[1].seq);
    let has_subs = tasks.iter().any(|t| t.parent.is_some());
    let seqs: Vec<i32> = if rising && !has_subs {
        tasks.iter().map(|t| t.seq).collect()
    } else {
        (1..=tasks.len()).map(|n| i32::try_from(n).unwrap_or(i32::MAX)).collect()
    };
    for (task, seq) in tasks.iter_mut().zip(&seqs) {
        task.seq = *seq;
        task.parent = task.parent.and_then(|p| usize::try_from(p).ok()).and_then(|p| seqs.get(p).copied());
    }
}
