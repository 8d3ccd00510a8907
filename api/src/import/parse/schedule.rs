//! Schedule cells (`时间进度`): free Chinese text → a typed schedule.
//!
//! One cleaned cell (Simplified script, half- or full-width punctuation and digits) is read as,
//! in this order:
//!
//! 1. **after a higher-level policy**: `省出台办法后完成`, `待国家具体意见制定出台后实施`,
//!    `国家和省政策出台后,3个月内完成` ([`ScheduleKind::AfterPolicy`]);
//! 2. **a period from the plan's issue date**: `6个月内`, `六个月内`, `半年内`, `30个工作日内`;
//! 3. **a calendar deadline**: `2015年6月底前`, `2014年底前`, `2018年第三季度`, `2015年3月15日前`,
//!    `2015-03-15`, `年内`, `上半年`, `明年6月底前`, a range `2014年12月至2015年6月` (due at its end),
//!    a year alone (`到2020年`, `2020年前`: the end of that year), and a missing year (`年9月底前`,
//!    `9月底前`, `三季度`: the plan's year, warning `YEAR_ASSUMED`, [`ParsedSchedule::year_inferred`]);
//!    the plan's year is its issue date's, else its number's or title's ([`PlanDates`]);
//! 4. **a start** (`2023年起全面实施`): ongoing work from that day ([`ParsedSchedule::starts_on`]);
//! 5. **recurring** (`逐年落实`, `每年`, `每季度末`) or **ongoing** (`持续实施`, `长期坚持`) without a date.
//!
//! Whatever follows the time expression is the milestone's wording; `持续`, `逐步`, `长期`, `每年` …
//! there mean the work goes on after the milestone ([`ParsedSchedule::ongoing`]). A later clause
//! with a date of its own (`2022年9月底前出台…,2023年底前全面推开`) makes that date the due date
//! and the earlier ones [`ParsedSchedule::milestones`]. An ambiguous expression (`6月前`: before
//! June, or by its end?), a later date before an earlier one, or anything else not understood is
//! [`ScheduleKind::Unparsed`] with a `SCHEDULE_UNPARSED` warning: the importer keeps the text and
//! never guesses. A date before the plan's issue date gets the warning `DATE_BEFORE_PLAN`.
//!
//! **Working days** (`30个工作日内`, [`ParsedSchedule::offset_days`]) are Monday to Friday. Public
//! holidays and make-up working days (调休) are not known here, so such a date can come early by the
//! holidays it spans.
//!
//! A milestone followed by work that goes on may name the year again: `5月底前出台办法,年内持续推进`
//! is due at the end of May and ongoing afterwards.
//!
//! Calendar dates are read in `schedule_dates.rs`, policies and periods in `schedule_policy.rs`,
//! schedules inside a task's text are found by `schedule_find.rs`; the tests live in
//! `schedule_tests.rs`.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

use super::ParseWarning;

/// The schedule kinds and policy levels are the stored ones: one definition, no mapping.
pub use entity::{PolicyLevel, ScheduleKind};

/// A schedule cell, understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSchedule {
    /// What kind of schedule this is.
    pub kind: ScheduleKind,
    /// The known deadline (only for [`ScheduleKind::Deadline`]).
    pub due_date: Option<NaiveDate>,
    /// Work continues after the milestone (`并持续实施`, `逐步推行`); always true for
    /// [`ScheduleKind::Ongoing`] and [`ScheduleKind::Recurring`], which have no closing date.
    pub ongoing: bool,
    /// AFTER_POLICY: the policies waited for, National before Provincial before Municipal.
    pub waiting_for: Vec<PolicyLevel>,
    /// AFTER_POLICY: calendar months after the policy's issue date (`6个月内`; `半年内` is 6).
    pub offset_months: Option<i32>,
    /// **Working days** after the policy's issue date (AFTER_POLICY), or after the plan's issue
    /// date (a DEADLINE such as `30个工作日内`, whose `due_date` counts Mon–Fri until the domain
    /// counts again on the office's calendar).
    pub offset_days: Option<i32>,
    /// Earlier dates of a text naming several (`2022年9月底前出台…,2023年底前全面推开`): the
    /// last is [`ParsedSchedule::due_date`], these come before it, in order.
    pub milestones: Vec<NaiveDate>,
    /// When the work starts (`2023年起全面实施`): an ongoing schedule with no closing date.
    pub starts_on: Option<NaiveDate>,
    /// The year was not written and was taken from the plan (`9月底前`): the office confirms it.
    pub year_inferred: bool,
    /// What the parser noticed (`YEAR_ASSUMED`, `DATE_BEFORE_PLAN`, `SCHEDULE_UNPARSED`, `NO_PLAN_DATE`).
    pub warnings: Vec<ParseWarning>,
}

/// What a schedule is counted from: the plan's issue date, and its year when the date is
/// unknown but the document number (`〔2019〕`) or the title (`2022年…要点`) names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanDates {
    /// The notice's issue date.
    pub issued_on: Option<NaiveDate>,
    /// The plan's year: the issue date's, else the document number's or the title's.
    pub year: Option<i32>,
}

impl PlanDates {
    /// Dates of a plan known by its issue date alone.
    pub fn issued(issued_on: Option<NaiveDate>) -> Self {
        Self { issued_on, year: issued_on.map(|d| chrono::Datelike::year(&d)) }
    }
}

impl ParsedSchedule {
    fn of(kind: ScheduleKind) -> Self {
        Self {
            kind,
            due_date: None,
            ongoing: false,
            waiting_for: Vec::new(),
            offset_months: None,
            offset_days: None,
            milestones: Vec::new(),
            starts_on: None,
            year_inferred: false,
            warnings: Vec::new(),
        }
    }
}

/// Why a cell could not be read; becomes the cell's only warning.
#[derive(Debug)]
struct Failure {
    code: &'static str,
    reason: &'static str,
}

fn unparsed(reason: &'static str) -> Failure {
    Failure { code: "SCHEDULE_UNPARSED", reason }
}

const NO_PLAN_DATE: Failure =
    Failure { code: "NO_PLAN_DATE", reason: "时间进度相对于方案印发日期,但印发日期未知" };

/// `None`: this reading does not apply; `Some(Err)`: it applies, but the cell is not understood.
type Attempt = Option<Result<ParsedSchedule, Failure>>;

fn warning(code: &'static str, message: String) -> ParseWarning {
    ParseWarning { line: None, code, message }
}

/// A number in ASCII or Chinese digits (`12`, `十二`, `二〇一五`, `两`).
const NUM: &str = "[0-9]+|[零〇一二两三四五六七八九十百]+";

fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("NUM", NUM)).expect("schedule pattern is valid")
}

/// Words before a time expression that change nothing: `力争2015年底前`.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| re("^(?:于|在|到|截至|截止到|截止|力争|争取|确保|计划)+"));
static BAD_START: LazyLock<Regex> = LazyLock::new(|| re("^(?:起|开始|以来|以后|之后|后|左右|前后|期间)"));
/// Any time expression; one left over after the parsed one makes the cell ambiguous.
static TIME_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    re("(?:NUM|半)个?(?:年|月|日|号|天|周|星期|季度|工作日)|上半年|下半年|年底|年末|年内|年初|年中\
        |月底|月末|月初|季度|今年|明年|本年|当年|次年|下年\
        |(?:出台|印发|下发|颁布|发布|公布)(?:以后|之后|后)|[0-9]{4}[-./][0-9]")
});
static RECURRING: LazyLock<Regex> = LazyLock::new(|| re("逐年|每年|年年|每一年|每个?(?:季度|半年|月)"));
/// A cadence with its day (`每季度末`, `每月25日前`): part of the recurrence, not a deadline.
static CADENCE: LazyLock<Regex> =
    LazyLock::new(|| re("每个?(?:季度|半年|月|年)(?:末|底|初|(?:NUM)(?:日|号))?(?:前|之前|以前)?"));
static ONGOING: LazyLock<Regex> = LazyLock::new(|| re("持续|逐步|长期|常态|长效|不断|坚持|常年|经常"));
/// `年内持续推进`, `全年持续开展` after a milestone.
static GOES_ON: LazyLock<Regex> = LazyLock::new(|| re("(?:年内|全年)(持续|逐步|长期|常态|不断|坚持)"));

/// Reads one schedule cell. `plan_date` is the notice's issue date, needed for `年内`, `年底前`,
/// `X个月内`, `X个工作日内` and missing years; without it those are Unparsed (`NO_PLAN_DATE`).
pub fn parse_schedule(text: &str, plan_date: Option<NaiveDate>) -> ParsedSchedule {
    parse_schedule_with(text, PlanDates::issued(plan_date))
}

/// Reads one schedule cell against the plan's dates: a missing year (`9月底前`) takes
/// [`PlanDates::year`] even when the issue date is unknown.
pub fn parse_schedule_with(text: &str, plan: PlanDates) -> ParsedSchedule {
    let cleaned = normalize(text);
    let outcome = if cleaned.is_empty() { Err(unparsed("时间进度为空")) } else { read(&cleaned, plan) };
    outcome.unwrap_or_else(|failure| {
        let mut parsed = ParsedSchedule::of(ScheduleKind::Unparsed);
        let message = format!("{}: 「{}」", failure.reason, text.trim());
        parsed.warnings.push(warning(failure.code, message));
        parsed
    })
}

/// One normalised, non-empty text, in the order of the module docs.
fn read(text: &str, plan: PlanDates) -> Result<ParsedSchedule, Failure> {
    let s = PREFIX.find(text).map_or(text, |m| &text[m.end()..]);
    if s.is_empty() {
        return Err(unparsed("时间进度为空"));
    }
    after_policy(s)
        .or_else(|| within_period(s, plan.issued_on))
        .or_else(|| deadline(s, plan))
        .unwrap_or_else(|| undated(s))
}

/// Half-width digits and punctuation, no whitespace, no trailing full stop.
fn normalize(text: &str) -> String {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '～' | '〜' => '~',
            '－' | '—' | '–' => '-',
            '／' => '/',
            '．' => '.',
            _ => c,
        })
        .collect();
    s.trim_matches(['。', '.', ',', ';', ':', '、']).to_owned()
}

/// A number in ASCII or Chinese digits (see [`super::numerals`]).
fn parse_num(s: &str) -> Option<u32> {
    super::numerals::parse(s)
}

fn group<'h>(caps: &Captures<'h>, i: usize) -> &'h str {
    caps.get(i).map_or("", |m| m.as_str())
}

/// The text after a match of `caps` on `s`.
fn after<'h>(s: &'h str, caps: &Captures<'_>) -> &'h str {
    s.get(caps.get(0).map_or(0, |m| m.end())..).unwrap_or("")
}

/// What follows the time expression: the milestone's wording. Returns whether work goes on.
fn finish(rest: &str) -> Result<bool, Failure> {
    let rest = rest.trim_start_matches([',', ':', ';']);
    if BAD_START.is_match(rest) {
        return Err(unparsed("时间是起点或约数,不是完成期限"));
    }
    // `…出台办法,年内持续推进`: the milestone, then work that goes on; `年内` there is no deadline.
    let rest = GOES_ON.replace_all(rest, "$1");
    if TIME_TOKEN.is_match(&rest) {
        return Err(unparsed("包含多个时间表述"));
    }
    Ok(ONGOING.is_match(&rest) || RECURRING.is_match(&rest))
}

fn dated(due: NaiveDate, ongoing: bool, plan: Option<NaiveDate>, mut warnings: Vec<ParseWarning>) -> ParsedSchedule {
    if plan.is_some_and(|plan| due < plan) {
        let message = format!("完成期限{due}早于方案印发日期");
        warnings.push(warning("DATE_BEFORE_PLAN", message));
    }
    let year_inferred = warnings.iter().any(|w| w.code == "YEAR_ASSUMED");
    ParsedSchedule {
        due_date: Some(due),
        ongoing,
        year_inferred,
        warnings,
        ..ParsedSchedule::of(ScheduleKind::Deadline)
    }
}

/// Recurring or ongoing work with no time expression at all; anything else is not understood.
fn undated(s: &str) -> Result<ParsedSchedule, Failure> {
    if TIME_TOKEN.is_match(&CADENCE.replace_all(s, "")) {
        return Err(unparsed("无法识别的时间表述"));
    }
    let kind = if RECURRING.is_match(s) {
        ScheduleKind::Recurring
    } else if ONGOING.is_match(s) {
        ScheduleKind::Ongoing
    } else {
        return Err(unparsed("未识别出期限、前置政策或持续性工作"));
    };
    Ok(ParsedSchedule { ongoing: true, ..ParsedSchedule::of(kind) })
}

#[path = "schedule_dates.rs"]
mod dates;
#[path = "schedule_find.rs"]
mod find;
#[path = "schedule_policy.rs"]
mod policy;

use dates::deadline;
pub use find::find_schedule;
use policy::{after_policy, within_period};

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
