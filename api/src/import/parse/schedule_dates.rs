//! Calendar deadlines: `2015年6月底前`, `2014年底前`, `2018年第三季度`, `2015年3月15日前`,
//! `年内`, `上半年`, `年9月底前`, `2014年12月至2015年6月`.

use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use regex::{Captures, Regex};

use super::{
    Attempt, Failure, NO_PLAN_DATE, PREFIX, ParseWarning, ParsedSchedule, PlanDates, ScheduleKind, after, dated,
    finish, group, parse_num, re, unparsed, warning,
};

static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| re("^([0-9]{4})[-./]([0-9]{1,2})[-./]([0-9]{1,2})日?"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re("^(?:(NUM)年|(今年|本年|当年|明年|次年|下一年|下年)|(年))"));
static YEAR_END: LazyLock<Regex> = LazyLock::new(|| re("^年?(?:底|末|终|内)"));
static HALF: LazyLock<Regex> = LazyLock::new(|| re("^(上|下)半年"));
static QUARTER: LazyLock<Regex> = LazyLock::new(|| re("^第?(NUM)季度(末|底)?"));
static DAY: LazyLock<Regex> = LazyLock::new(|| re("^(NUM)月(NUM)(?:日|号)"));
static MONTH: LazyLock<Regex> = LazyLock::new(|| re("^(NUM)月份?(底|末|上旬|中旬|下旬)?"));
static SUFFIX: LazyLock<Regex> = LazyLock::new(|| re("^(之前|以前|前|以内|之内|内|为止|止)?"));
static RANGE: LazyLock<Regex> = LazyLock::new(|| re("^(?:至|到|-+|~)"));
/// What may follow a year written alone (`到2020年,`, `2020年前`, `2015年完成`, `2023年起`); a
/// year before anything else (`2022年重点任务`) is no schedule.
static AFTER_BARE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re("^(?:$|[,;:]|前|之前|以前|为止|止|起|开始|完成|实现|建成|基本|全面|达到|累计)"));
/// `2023年起`, `2015年1月开始`: when the work starts.
static STARTS: LazyLock<Regex> = LazyLock::new(|| re("^(?:起|开始)"));
/// A later clause saying the work goes on within the year (`,年内持续推进`): no second date.
static GOES_ON_CLAUSE: LazyLock<Regex> = LazyLock::new(|| re("^(?:年内|全年)(?:持续|逐步|长期|常态|不断|坚持)"));

/// Years outside this range are typos or noise, not deadlines.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2199;

#[derive(Debug, Clone, Copy)]
enum YearSpec {
    /// `2015年`; 0 when the number does not fit.
    Explicit(u32),
    /// `今年` (0), `明年` (1).
    Relative(i32),
    /// `年` without digits: `年底前`, or a blank left for the year in `年9月底前`.
    Bare,
    /// No year at all: `9月底前`, `三季度`.
    Absent,
}

/// The end of a month, or a given day of it.
#[derive(Debug, Clone, Copy)]
struct Period {
    month: u32,
    /// `None`: the month's last day.
    day: Option<u32>,
    /// A whole year (`底`, `末`, `内`): the plan's year is meant, not assumed.
    year_end: bool,
    /// A month, quarter or half year without `底`/`末`: `前` after it is ambiguous.
    bare: bool,
    /// How many months the period spans, ending with `month` (a start is its first day).
    months: u32,
}

impl Period {
    fn end_of(month: u32, bare: bool) -> Self {
        Self { month, day: None, year_end: false, bare, months: 1 }
    }

    /// A whole year: `年底`, `年内`, or a year written alone.
    fn whole_year() -> Self {
        Self { year_end: true, months: 12, ..Self::end_of(12, false) }
    }
}

#[derive(Debug, Clone, Copy)]
struct Point {
    year: YearSpec,
    period: Period,
    /// Followed by `前`, `之前`, `以前`.
    before: bool,
}

/// A cell starting with a calendar date; `None` when it does not.
pub(super) fn deadline(s: &str, plan: PlanDates) -> Attempt {
    let (first, rest) = point(s)?;
    if STARTS.is_match(rest) {
        return Some(start(&first, plan));
    }
    Some(deadline_from(first, rest, plan))
}

/// `2023年起全面实施`: ongoing work from the first day of the period named.
fn start(point: &Point, plan: PlanDates) -> Result<ParsedSchedule, Failure> {
    if point.before {
        return Err(unparsed("「前」与「起」同时出现"));
    }
    let (year, warnings) = resolve_year(point, plan)?;
    let span = point.period.months.max(1);
    let first_month = point.period.month.checked_sub(span - 1).filter(|m| (1..=12).contains(m));
    let first_month = first_month.ok_or_else(|| unparsed("日期不存在"))?;
    let day = point.period.day.unwrap_or(1);
    let starts_on = NaiveDate::from_ymd_opt(year, first_month, day).ok_or_else(|| unparsed("日期不存在"))?;
    let year_inferred = warnings.iter().any(|w| w.code == "YEAR_ASSUMED");
    Ok(ParsedSchedule {
        ongoing: true,
        starts_on: Some(starts_on),
        year_inferred,
        warnings,
        ..ParsedSchedule::of(ScheduleKind::Ongoing)
    })
}

fn deadline_from(first: Point, rest: &str, plan: PlanDates) -> Result<ParsedSchedule, Failure> {
    check_unambiguous(&first)?;
    let (end, rest) = match RANGE.find(rest) {
        Some(m) => range_end(first, &rest[m.end()..])?,
        None => (first, rest),
    };
    if end.period.bare && rest.starts_with(['中', '初']) {
        return Err(unparsed("月中、月初等不是明确期限"));
    }
    let (due, warnings) = resolve(&end, plan)?;
    if let Some(later) = later_deadline(rest, plan) {
        return with_milestone(due, warnings, later?);
    }
    let ongoing = finish(rest)?;
    Ok(dated(due, ongoing, plan.issued_on, warnings))
}

/// A second date in a later clause (`…出台办法,2023年底前全面推开`), its wording skipped.
fn later_deadline(rest: &str, plan: PlanDates) -> Option<Result<ParsedSchedule, Failure>> {
    rest.match_indices([',', ';']).find_map(|(i, sep)| {
        let clause = &rest[i + sep.len()..];
        let clause = PREFIX.find(clause).map_or(clause, |m| &clause[m.end()..]);
        if GOES_ON_CLAUSE.is_match(clause) {
            return None;
        }
        deadline(clause, plan).filter(|later| !matches!(later, Ok(p) if p.kind != ScheduleKind::Deadline))
    })
}

/// The later schedule, with `due` kept as its first milestone.
fn with_milestone(
    due: NaiveDate,
    warnings: Vec<ParseWarning>,
    mut later: ParsedSchedule,
) -> Result<ParsedSchedule, Failure> {
    if later.due_date.is_none_or(|last| last < due) {
        return Err(unparsed("后一个时间早于前一个时间"));
    }
    later.milestones.insert(0, due);
    for w in warnings.into_iter().rev() {
        if !later.warnings.iter().any(|seen| seen.code == w.code) {
            later.warnings.insert(0, w);
        }
    }
    later.year_inferred = later.warnings.iter().any(|w| w.code == "YEAR_ASSUMED");
    Ok(later)
}

fn check_unambiguous(point: &Point) -> Result<(), Failure> {
    if point.before && point.period.bare {
        // `6月前`: before June starts, or by its end? Users mean both.
        return Err(unparsed("「X月前」「X季度前」有歧义(该月之前还是该月底前)"));
    }
    Ok(())
}

/// `…至2015年6月`: the range ends at the second point, in the first one's year if it names none.
fn range_end(first: Point, s: &str) -> Result<(Point, &str), Failure> {
    let (mut end, rest) = point(s).ok_or_else(|| unparsed("时间段的结束时间无法识别"))?;
    check_unambiguous(&end)?;
    if matches!(end.year, YearSpec::Absent | YearSpec::Bare) {
        end.year = first.year;
    }
    Ok((end, rest))
}

/// One date expression at the start of `s`, with its `前`/`内` suffix.
fn point(s: &str) -> Option<(Point, &str)> {
    let (year, period, rest) = match numeric_date(s) {
        Some(found) => found,
        None => {
            let (year, s) = year_spec(s);
            let (period, rest) = match period(s) {
                Some(found) => found,
                // `到2020年`, `2020年前`: the end of that year.
                None if matches!(year, YearSpec::Explicit(_)) && AFTER_BARE_YEAR.is_match(s) => {
                    (Period::whole_year(), s)
                }
                None => return None,
            };
            if period.year_end && matches!(year, YearSpec::Absent) {
                return None; // `内`, `底前` alone
            }
            (year, period, rest)
        }
    };
    let caps = SUFFIX.captures(rest)?;
    let before = group(&caps, 1).ends_with('前');
    let point = Point { year, period, before };
    Some((point, after(rest, &caps)))
}

/// `2015-03-15`, `2015.3.15`, `2015/3/15`.
fn numeric_date(s: &str) -> Option<(YearSpec, Period, &str)> {
    let caps = NUMERIC_DATE.captures(s)?;
    let number = |i| parse_num(group(&caps, i));
    let period = Period { day: Some(number(3)?), ..Period::end_of(number(2)?, false) };
    Some((YearSpec::Explicit(number(1)?), period, after(s, &caps)))
}

fn year_spec(s: &str) -> (YearSpec, &str) {
    let Some(caps) = YEAR.captures(s) else {
        return (YearSpec::Absent, s);
    };
    let spec = if let Some(n) = caps.get(1) {
        YearSpec::Explicit(parse_num(n.as_str()).unwrap_or(0))
    } else if caps.get(2).is_some() {
        let next = matches!(group(&caps, 2), "明年" | "次年" | "下一年" | "下年");
        YearSpec::Relative(i32::from(next))
    } else {
        YearSpec::Bare
    };
    (spec, after(s, &caps))
}

fn period(s: &str) -> Option<(Period, &str)> {
    if let Some(caps) = YEAR_END.captures(s) {
        return Some((Period::whole_year(), after(s, &caps)));
    }
    if let Some(caps) = HALF.captures(s) {
        let month = if group(&caps, 1) == "上" { 6 } else { 12 };
        return Some((Period { months: 6, ..Period::end_of(month, true) }, after(s, &caps)));
    }
    if let Some(caps) = QUARTER.captures(s) {
        let quarter = parse_num(group(&caps, 1)).filter(|q| (1..=4).contains(q))?;
        let bare = caps.get(2).is_none();
        return Some((Period { months: 3, ..Period::end_of(quarter * 3, bare) }, after(s, &caps)));
    }
    month_or_day(s)
}

fn month_or_day(s: &str) -> Option<(Period, &str)> {
    let month_of = |caps: &Captures<'_>| parse_num(group(caps, 1)).filter(|m| (1..=12).contains(m));
    if let Some(caps) = DAY.captures(s) {
        let period = Period { day: Some(parse_num(group(&caps, 2))?), ..Period::end_of(month_of(&caps)?, false) };
        return Some((period, after(s, &caps)));
    }
    let caps = MONTH.captures(s)?;
    let month = month_of(&caps)?;
    let period = match group(&caps, 2) {
        "" => Period::end_of(month, true),
        "上旬" => Period { day: Some(10), ..Period::end_of(month, false) },
        "中旬" => Period { day: Some(20), ..Period::end_of(month, false) },
        _ => Period::end_of(month, false), // 底, 末, 下旬
    };
    Some((period, after(s, &caps)))
}

/// The date a point stands for, with `YEAR_ASSUMED` when the year was taken from the plan.
fn resolve(point: &Point, plan: PlanDates) -> Result<(NaiveDate, Vec<ParseWarning>), Failure> {
    let (year, warnings) = resolve_year(point, plan)?;
    let date = match point.period.day {
        Some(day) => NaiveDate::from_ymd_opt(year, point.period.month, day),
        None => month_end(year, point.period.month),
    };
    let date = date.ok_or_else(|| unparsed("日期不存在"))?;
    Ok((date, warnings))
}

/// The point's year: as written, relative to the plan's, or the plan's when none is written.
fn resolve_year(point: &Point, plan: PlanDates) -> Result<(i32, Vec<ParseWarning>), Failure> {
    let plan_year = || plan.year.or_else(|| plan.issued_on.map(|date| date.year())).ok_or(NO_PLAN_DATE);
    let mut warnings = Vec::new();
    let year = match point.year {
        YearSpec::Explicit(year) if YEARS.contains(&year) => {
            i32::try_from(year).map_err(|_| unparsed("年份超出范围"))?
        }
        YearSpec::Explicit(_) => return Err(unparsed("年份超出范围")),
        YearSpec::Relative(delta) => plan_year()?.checked_add(delta).ok_or_else(|| unparsed("年份超出范围"))?,
        YearSpec::Bare | YearSpec::Absent => {
            let year = plan_year()?;
            if !point.period.year_end {
                let message = format!("时间进度未写年份,按方案的年份{year}年处理,请核对");
                warnings.push(warning("YEAR_ASSUMED", message));
            }
            year
        }
    };
    Ok((year, warnings))
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?.pred_opt()
}
