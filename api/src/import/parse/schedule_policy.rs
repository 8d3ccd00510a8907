//! Schedules counted from another date: after a higher-level policy (`省政策出台后6个月内完成`)
//! or from the plan's issue date (`6个月内`, `30个工作日内`).

use std::sync::LazyLock;

use chrono::{Days, NaiveDate};

use crate::domain::dates::{add_months, add_working_days};
use regex::{Captures, Regex};

use super::{
    Attempt, Failure, NO_PLAN_DATE, ParsedSchedule, PolicyLevel, ScheduleKind, TIME_TOKEN, after, dated, finish, group,
    parse_num, re, unparsed,
};

/// `待国家和省相关意见出台后`: levels, then words, a verb, words, `后`.
static POLICY: LazyLock<Regex> = LazyLock::new(|| {
    re("^(?:待|等|在)?((?:国家|中央|国务院|省|市)(?:(?:和|及|与|、|或)(?:国家|中央|国务院|省|市))*)\
        ([^,;]{0,20}?)(?:出台|印发|下发|颁布|发布|公布|制定)([^,;]{0,10}?)(?:以后|之后|后)")
});
static LEVEL: LazyLock<Regex> = LazyLock::new(|| re("国家|中央|国务院|省|市"));
static JOINED_LEVEL: LazyLock<Regex> = LazyLock::new(|| re("(?:和|及|与|、)(?:国家|中央|国务院|省|市)"));
/// `3个月内`, `30个工作日内`, `半年内`.
static OFFSET: LazyLock<Regex> =
    LazyLock::new(|| re("^(?:在|于)?(?:(NUM)(个月|个工作日|工作日|个星期|星期|周|天|日|年)|半年)(?:以内|之内|内)"));

pub(super) fn after_policy(s: &str) -> Attempt {
    let caps = POLICY.captures(s)?;
    Some(policy_schedule(&caps, after(s, &caps)))
}

fn policy_schedule(caps: &Captures<'_>, rest: &str) -> Result<ParsedSchedule, Failure> {
    let (levels, words) = (group(caps, 1), [group(caps, 2), group(caps, 3)]);
    if words.iter().any(|w| TIME_TOKEN.is_match(w)) {
        return Err(unparsed("政策表述中包含时间"));
    }
    if levels.contains('或') || words.iter().any(|w| w.contains('或')) {
        return Err(unparsed("等待的是几项政策之一(或),无法确定"));
    }
    let joined = words.iter().flat_map(|w| JOINED_LEVEL.find_iter(w));
    let mut waiting_for: Vec<PolicyLevel> =
        LEVEL.find_iter(levels).chain(joined).filter_map(|m| level_of(m.as_str())).collect();
    // Stored in a fixed order (National, Provincial, Municipal) so equal plans compare equal.
    waiting_for.sort_unstable_by_key(|level| *level as u8);
    waiting_for.dedup();
    let mut parsed = ParsedSchedule::of(ScheduleKind::AfterPolicy);
    parsed.waiting_for = waiting_for;
    let rest = rest.trim_start_matches([',', ':', ';']);
    let rest = match offset(rest) {
        Some((Offset::Months(n), tail)) => {
            parsed.offset_months = Some(i32::try_from(n).map_err(|_| unparsed("期限过长"))?);
            tail
        }
        Some((Offset::WorkingDays(n), tail)) => {
            parsed.offset_days = Some(i32::try_from(n).map_err(|_| unparsed("期限过长"))?);
            tail
        }
        Some((Offset::Days(_), _)) => return Err(unparsed("政策出台后按自然日计的期限暂不支持")),
        None => rest,
    };
    parsed.ongoing = finish(rest)?;
    Ok(parsed)
}

fn level_of(word: &str) -> Option<PolicyLevel> {
    if word.contains("国家") || word.contains("中央") || word.contains("国务院") {
        Some(PolicyLevel::National)
    } else if word.contains('省') {
        Some(PolicyLevel::Provincial)
    } else if word.contains('市') {
        Some(PolicyLevel::Municipal)
    } else {
        None
    }
}

/// A period counted from some date.
enum Offset {
    Months(u32),
    WorkingDays(u32),
    /// Calendar days (`天`, `日`, `周` × 7).
    Days(u32),
}

fn offset(s: &str) -> Option<(Offset, &str)> {
    let caps = OFFSET.captures(s)?;
    let rest = after(s, &caps);
    let Some(n) = caps.get(1) else {
        return Some((Offset::Months(6), rest)); // 半年内
    };
    let n = parse_num(n.as_str())?;
    let offset = match group(&caps, 2) {
        "个月" => Offset::Months(n),
        "个工作日" | "工作日" => Offset::WorkingDays(n),
        "天" | "日" => Offset::Days(n),
        "年" if n >= 1000 => return None, // `2015年内` is a calendar year
        "年" => Offset::Months(n.checked_mul(12)?),
        _ => Offset::Days(n.checked_mul(7)?),
    };
    Some((offset, rest))
}

/// `本方案印发后`, `通知下发之后`: the plan itself, so a period counted from its issue date.
static AFTER_THIS_PLAN: LazyLock<Regex> =
    LazyLock::new(|| re("^(?:(?:本|该)?(?:方案|通知|文件|意见))?(?:印发|下发|发布)(?:以后|之后|后)[,]?"));

/// `6个月内`, `30个工作日内`, `本方案印发后10个工作日内`: counted from the plan's issue date.
pub(super) fn within_period(s: &str, plan: Option<NaiveDate>) -> Attempt {
    let s = AFTER_THIS_PLAN.find(s).map_or(s, |m| &s[m.end()..]);
    let (offset, rest) = offset(s)?;
    let Some(plan) = plan else {
        return Some(Err(NO_PLAN_DATE));
    };
    let due = match offset {
        Offset::Months(n) => i32::try_from(n).ok().and_then(|n| add_months(plan, n)),
        Offset::WorkingDays(n) => add_working_days(plan, i64::from(n)),
        Offset::Days(n) => plan.checked_add_days(Days::new(u64::from(n))),
    };
    let Some(due) = due else {
        return Some(Err(unparsed("期限过长")));
    };
    let working_days = match offset {
        Offset::WorkingDays(n) => i32::try_from(n).ok(),
        _ => None,
    };
    // Working days are counted again on the office's calendar when the plan is written
    // (holidays, 调休); keep the count beside the Mon–Fri estimate.
    Some(
        finish(rest)
            .map(|ongoing| ParsedSchedule { offset_days: working_days, ..dated(due, ongoing, Some(plan), Vec::new()) }),
    )
}
