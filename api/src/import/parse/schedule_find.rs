//! Schedules written inside a task's text rather than in a column of their own:
//! `…,2022年6月底前修订管理办法`, `(省直各部门分别负责,年内完成)`, `在5月底前出台办法,年内持续推进`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::{ScheduleKind, parse_schedule, re};

/// Where a time expression may start. Levels of government start policy schedules
/// (`省政策出台后`); the parser decides whether the text really is one.
static START: LazyLock<Regex> = LazyLock::new(|| {
    re("(?:NUM)年|(?:NUM|半)个?(?:月|季度|工作日|星期|周|天)|今年|明年|本年|当年|次年|年内|年底|年末|上半年|下半年\
        |第?(?:NUM)季度|(?:NUM)月|每年|每个?(?:季度|半年|月)|逐年|长期|持续|待|国家|中央|国务院|省|市")
});

/// A clause ends at punctuation or a bracket.
const CLAUSE_END: &[char] = &[',', ';', '。', '\n', '(', ')', '[', ']', '【', '】', '〔', '〕', '，', '；', '（', '）'];

/// Words earlier in the clause that make a period a target, not a deadline (`压缩至1个工作日以内`).
const TARGET_WORDS: [&str; 9] = ["压缩", "缩短", "控制", "减少", "降低", "不超过", "提速", "时限", "时间"];

/// A date only tells the kind; the importer parses the phrase again with the notice's date.
fn probe_date() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2000, 1, 1)
}

/// The first schedule phrase in `text`, from its time expression to the end of its clause (and
/// through the next clause when that one says the work goes on). Dated schedules win over
/// ongoing or recurring wording; an undated phrase must be short (`持续推进`, `长期坚持`) or
/// recurring (`每年…`), so that a title such as `持续优化营商环境` is not read as a schedule.
pub fn find_schedule(text: &str) -> Option<String> {
    let mut undated: Option<String> = None;
    for m in START.find_iter(text) {
        if is_target(&text[..m.start()]) {
            continue;
        }
        let end = clause_end(text, m.start());
        let phrase = &text[m.start()..end];
        let parsed = parse_schedule(phrase, probe_date());
        match parsed.kind {
            ScheduleKind::Unparsed => {}
            ScheduleKind::Deadline if !parsed.ongoing => return Some(extended(text, m.start(), end)),
            ScheduleKind::Deadline | ScheduleKind::AfterPolicy => return Some(phrase.trim().to_string()),
            ScheduleKind::Ongoing if parsed.starts_on.is_some() => return Some(phrase.trim().to_string()),
            ScheduleKind::Recurring => {
                undated.get_or_insert_with(|| phrase.trim().to_string());
            }
            ScheduleKind::Ongoing if phrase.chars().count() <= 6 => {
                undated.get_or_insert_with(|| phrase.trim().to_string());
            }
            ScheduleKind::Ongoing => {}
        }
    }
    undated
}

/// How many clauses after the first a schedule may reach through.
const MAX_LATER_CLAUSES: usize = 4;

/// The phrase, extended through later clauses when they say the work goes on
/// (`5月底前出台办法` + `,年内持续推进`) or name a later date (`2022年9月底前出台…` +
/// `,2023年底前全面推开`).
fn extended(text: &str, start: usize, end: usize) -> String {
    let mut best = text[start..end].trim();
    let (mut ongoing, mut milestones) = (false, 0);
    let mut until = end;
    for _ in 0..MAX_LATER_CLAUSES {
        let Some(sep) = text[until..].chars().next().filter(|c| matches!(c, ',' | '，' | ';' | '；')) else {
            break;
        };
        until = clause_end(text, until + sep.len_utf8());
        let longer = &text[start..until];
        let parsed = parse_schedule(longer, probe_date());
        if parsed.kind != ScheduleKind::Deadline {
            continue;
        }
        if (parsed.ongoing && !ongoing) || parsed.milestones.len() > milestones {
            (best, ongoing, milestones) = (longer.trim(), parsed.ongoing, parsed.milestones.len());
        }
    }
    best.to_string()
}

fn clause_end(text: &str, from: usize) -> usize {
    text[from..].find(CLAUSE_END).map_or(text.len(), |i| from + i)
}

/// Whether the clause so far makes what follows a target (`审批时间压缩至30个工作日`).
fn is_target(before: &str) -> bool {
    let clause = before.rfind(CLAUSE_END).map_or(before, |i| &before[i..]);
    TARGET_WORDS.iter().any(|w| clause.contains(w))
}
