//! Tests for [`super::parse_schedule`].

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{ParsedSchedule, PlanDates, PolicyLevel, ScheduleKind, parse_schedule, parse_schedule_with};

use PolicyLevel::{Municipal as M, National as N, Provincial as P};
use ScheduleKind::{AfterPolicy, Deadline, Ongoing, Recurring, Unparsed};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// The reference plan's issue date (2014-11-13, a Thursday).
fn plan() -> Option<NaiveDate> {
    Some(ymd(2014, 11, 13))
}

fn codes(parsed: &ParsedSchedule) -> Vec<&'static str> {
    parsed.warnings.iter().map(|w| w.code).collect()
}

#[derive(Debug)]
struct Expected {
    kind: ScheduleKind,
    due: Option<NaiveDate>,
    ongoing: bool,
    waiting_for: &'static [PolicyLevel],
    months: Option<i32>,
}

const fn policy(waiting_for: &'static [PolicyLevel], months: Option<i32>) -> Expected {
    Expected { kind: AfterPolicy, due: None, ongoing: false, waiting_for, months }
}

const fn undated(kind: ScheduleKind) -> Expected {
    Expected { kind, due: None, ongoing: true, waiting_for: &[], months: None }
}

fn due(y: i32, m: u32, d: u32, ongoing: bool) -> Expected {
    Expected { kind: Deadline, due: Some(ymd(y, m, d)), ongoing, waiting_for: &[], months: None }
}

fn check(text: &str, expected: &Expected) {
    let parsed = parse_schedule(text, plan());
    let got = (parsed.kind, parsed.due_date, parsed.ongoing, parsed.waiting_for.as_slice(), parsed.offset_months);
    let want = (expected.kind, expected.due, expected.ongoing, expected.waiting_for, expected.months);
    assert_eq!(got, want, "{text}");
    let working_days = text.contains("工作日").then_some(parsed.offset_days).flatten();
    assert_eq!(parsed.offset_days, working_days, "{text}: only working days are kept to count again");
    assert!(parsed.warnings.is_empty(), "{text}: {:?}", parsed.warnings);
}

#[test]
fn all_26_reference_schedules_are_classified() {
    let table: [(&str, Expected); 26] = [
        ("2014年12月底前落实并持续实施", due(2014, 12, 31, true)),
        ("省出台办法后完成", policy(&[P], None)),
        ("省意见出台后6个月内完成", policy(&[P], Some(6))),
        ("持续实施", undated(Ongoing)),
        ("2014年底前落实并持续实施", due(2014, 12, 31, true)),
        ("持续实施", undated(Ongoing)),
        ("省出台文件后完成", policy(&[P], None)),
        ("2015年底前基本完成全县低保信息操作系统本地化项目建设", due(2015, 12, 31, false)),
        ("2015年6月底前出台", due(2015, 6, 30, false)),
        ("省政策出台后6个月内完成", policy(&[P], Some(6))),
        ("逐年落实", undated(Recurring)),
        ("省制度出台后完成", policy(&[P], None)),
        ("省意见出台后完成", policy(&[P], None)),
        ("持续实施", undated(Ongoing)),
        ("国家和省政策出台后,3个月内完成", policy(&[N, P], Some(3))),
        ("待国家具体意见制定出台后实施", policy(&[N], None)),
        ("国家意见出台后6个月内完成", policy(&[N], Some(6))),
        ("持续实施", undated(Ongoing)),
        ("待省政策出台后完成", policy(&[P], None)),
        ("持续实施", undated(Ongoing)),
        ("持续实施", undated(Ongoing)),
        ("国家和省相关意见出台后完成", policy(&[N, P], None)),
        ("持续实施", undated(Ongoing)),
        ("按时落实并持续实施核对工作", undated(Ongoing)),
        ("2015年6月底前出台相关规定并逐步推行", due(2015, 6, 30, true)),
        ("持续实施", undated(Ongoing)),
    ];
    for (text, expected) in &table {
        check(text, expected);
    }
}

#[test]
fn other_written_forms_are_understood() {
    let table = [
        ("年内完成", due(2014, 12, 31, false)),
        ("年底前", due(2014, 12, 31, false)),
        ("年底", due(2014, 12, 31, false)),
        ("今年底前完成", due(2014, 12, 31, false)),
        ("明年6月底前", due(2015, 6, 30, false)),
        ("2018年第三季度", due(2018, 9, 30, false)),
        ("2018年第四季度末前完成", due(2018, 12, 31, false)),
        ("2016年上半年", due(2016, 6, 30, false)),
        ("2016年下半年完成", due(2016, 12, 31, false)),
        ("2015年内完成", due(2015, 12, 31, false)),
        ("二〇一五年十二月底前", due(2015, 12, 31, false)),
        ("2015年3月15日前", due(2015, 3, 15, false)),
        ("2015年2月下旬", due(2015, 2, 28, false)),
        ("2015年3月上旬前", due(2015, 3, 10, false)),
        ("2015-03-15前完成", due(2015, 3, 15, false)),
        ("力争2015年底前完成", due(2015, 12, 31, false)),
        ("２０１５年６月底前（全角）", due(2015, 6, 30, false)),
        ("2014年12月至2015年6月", due(2015, 6, 30, false)),
        ("2015年3月至6月底", due(2015, 6, 30, false)),
        ("6个月内", due(2015, 5, 13, false)),
        ("六个月内完成", due(2015, 5, 13, false)),
        ("半年内", due(2015, 5, 13, false)),
        ("十五天内", due(2014, 11, 28, false)),
        ("2周内", due(2014, 11, 27, false)),
        // 2014-11-13 is a Thursday; 30 working days later is Thursday 2014-12-25.
        ("30个工作日内", due(2014, 12, 25, false)),
        ("本方案印发后30个工作日内完成", due(2014, 12, 25, false)),
        ("通知下发之后6个月内", due(2015, 5, 13, false)),
        ("长期坚持", undated(Ongoing)),
        ("每年开展一次", undated(Recurring)),
        ("市政策出台后完成", policy(&[M], None)),
        ("中央和省出台意见后六个月内", policy(&[N, P], Some(6))),
        ("省、市出台办法后半年内完成", policy(&[P, M], Some(6))),
    ];
    for (text, expected) in &table {
        check(text, expected);
    }
}

#[test]
fn working_days_after_a_policy_go_into_offset_days() {
    let parsed = parse_schedule("省政策出台后30个工作日内完成", plan());
    assert_eq!(parsed.kind, AfterPolicy);
    assert_eq!(parsed.offset_days, Some(30));
    assert_eq!(parsed.offset_months, None);
}

#[test]
fn a_milestone_then_ongoing_work_keeps_both() {
    let parsed = parse_schedule("5月底前出台办法,年内持续推进", Some(ymd(2022, 3, 10)));
    assert_eq!((parsed.kind, parsed.due_date, parsed.ongoing), (Deadline, Some(ymd(2022, 5, 31)), true));
    assert_eq!(codes(&parsed), ["YEAR_ASSUMED"]);
    check("2021年第二季度", &due(2021, 6, 30, false));
    check("3年内", &due(2017, 11, 13, false));
}

#[test]
fn schedules_are_found_inside_a_task_text() {
    let cases = [
        ("推进社会保障卡“一卡通”。在5月底前出台实施办法,年内持续推进。", Some("5月底前出台实施办法,年内持续推进")),
        ("2022年6月底前修订《管理办法》", Some("2022年6月底前修订《管理办法》")),
        ("省直各部门分别负责,年内完成", Some("年内完成")),
        ("开展监管,每年抽查比例不低于5%", Some("每年抽查比例不低于5%")),
        ("待省政策出台后3个月内完成配套文件", Some("待省政策出台后3个月内完成配套文件")),
        ("持续推进", Some("持续推进")),
        ("持续优化营商环境", None),
        ("压缩企业开办时间至1个工作日以内", None),
        ("新标准从2014年7月1日起执行", Some("2014年7月1日起执行")),
        (
            "2022年9月底前出台实施方案,在试点区先行,2023年底前全面推开",
            Some("2022年9月底前出台实施方案,在试点区先行,2023年底前全面推开"),
        ),
        ("每季度末报送项目推进情况", Some("每季度末报送项目推进情况")),
        ("实施2022年民生实事项目", None),
        ("改造老旧小区12个,惠及居民3000户", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(super::find_schedule(text).as_deref(), expected, "{text}");
    }
}

#[test]
fn a_missing_year_takes_the_plans_and_says_so() {
    for text in ["年9月底前", "9月底前完成", "三季度", "上半年"] {
        let parsed = parse_schedule(text, Some(ymd(2018, 3, 1)));
        assert_eq!(parsed.kind, Deadline, "{text}");
        assert_eq!(parsed.due_date.map(|d| d.format("%Y").to_string()), Some("2018".into()));
        assert_eq!(codes(&parsed), ["YEAR_ASSUMED"], "{text}");
    }
    let parsed = parse_schedule("年9月底前", Some(ymd(2018, 3, 1)));
    assert_eq!(parsed.due_date, Some(ymd(2018, 9, 30)));
}

#[test]
fn a_date_before_the_plan_is_flagged() {
    let parsed = parse_schedule("6月底前", plan());
    assert_eq!(parsed.due_date, Some(ymd(2014, 6, 30)));
    assert_eq!(codes(&parsed), ["YEAR_ASSUMED", "DATE_BEFORE_PLAN"]);
}

#[test]
fn what_is_not_understood_is_unparsed_never_guessed() {
    let texts = [
        "",
        "   ",
        "按时落实",
        "待定",
        "2015年6月前",                       // before June, or by its end?
        "2015年第三季度前",                  // idem
        "2015年6月中完成",                   // mid-month
        "2016年底前出台,2015年底前全面推行", // a later date before the first
        "2022年重点任务",                    // a year in a name, no deadline
        "2015年2月30日前",                   // no such day
        "2015年13月底前",
        "2015年第五季度",
        "上级政策出台后完成",     // whose policy?
        "国家或省政策出台后完成", // either one: cannot wait for "the later"
        "省政策出台后15日内完成", // calendar days after a policy are not stored
        "每月报送进展,6月底前完成",
        "99999999999年底前",
        "3000年底前",
    ];
    for text in texts {
        let parsed = parse_schedule(text, plan());
        let empty = ParsedSchedule { warnings: parsed.warnings.clone(), ..super::ParsedSchedule::of(Unparsed) };
        assert_eq!(parsed, empty, "{text}");
        assert_eq!(codes(&parsed), ["SCHEDULE_UNPARSED"], "{text}");
        assert_eq!(parsed.warnings[0].line, None);
    }
}

#[test]
fn dates_relative_to_the_plan_need_its_date() {
    for text in ["年内", "6个月内", "年9月底前", "明年底前"] {
        let parsed = parse_schedule(text, None);
        assert_eq!(parsed.kind, Unparsed, "{text}");
        assert_eq!(codes(&parsed), ["NO_PLAN_DATE"], "{text}");
    }
    let absolute = parse_schedule("2015年6月底前出台", None);
    assert_eq!(absolute.due_date, Some(ymd(2015, 6, 30)));
    assert!(absolute.warnings.is_empty());
}

const FRAGMENTS: &[&str] = &[
    "年",
    "月",
    "日",
    "底前",
    "底",
    "前",
    "内",
    "个月内",
    "个工作日内",
    "季度",
    "第",
    "上半年",
    "省",
    "国家",
    "和",
    "、",
    "或",
    "出台后",
    "政策",
    "待",
    ",",
    "至",
    "-",
    "持续实施",
    "逐年",
    "2014",
    "6",
    "12",
    "30",
    "六",
    "十二",
    "二〇一五",
    "99999999999",
    "4294967296",
    "-",
    "~",
    "(",
    ")",
    "并",
    "完成",
    "起",
    "中",
    "旬",
    "下",
    "明年",
    "半年",
    "周",
    "天",
    "力争",
    "０",
    "市",
];

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,40}", year in 0i32..3000) {
        let plan = NaiveDate::from_ymd_opt(year, 6, 15);
        let _ = parse_schedule(&text, plan);
    }

    #[test]
    fn schedule_fragments_never_panic(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12),
        extreme in any::<bool>(),
    ) {
        let text = parts.concat();
        let plan = if extreme { Some(NaiveDate::MAX) } else { Some(ymd(2014, 11, 13)) };
        let parsed = parse_schedule(&text, plan);
        let _ = parse_schedule(&text, None);
        if parsed.kind == Unparsed {
            prop_assert!(parsed.due_date.is_none() && parsed.waiting_for.is_empty());
        }
    }
}

/// Issue 24: what the importer used to leave unparsed because the year or the start was not in
/// the phrase. Plan issued 2019-04-08.
#[test]
fn years_and_starts_not_in_the_phrase_come_from_the_plan() {
    let plan = Some(ymd(2019, 4, 8));
    let cases: [(&str, ScheduleKind, Option<NaiveDate>, bool); 14] = [
        ("9月底前修订形成新版清单", Deadline, Some(ymd(2019, 9, 30)), true),
        ("6月底前完成", Deadline, Some(ymd(2019, 6, 30)), true),
        ("5年内引进高层次人才100名", Deadline, Some(ymd(2024, 4, 8)), false),
        ("3个月内完成", Deadline, Some(ymd(2019, 7, 8)), false),
        ("年内完成", Deadline, Some(ymd(2019, 12, 31)), false),
        ("今年底前建成", Deadline, Some(ymd(2019, 12, 31)), false),
        ("到2020年", Deadline, Some(ymd(2020, 12, 31)), false),
        ("2020年前实现全覆盖", Deadline, Some(ymd(2020, 12, 31)), false),
        ("2015年完成", Deadline, Some(ymd(2015, 12, 31)), false),
        ("第三季度", Deadline, Some(ymd(2019, 9, 30)), true),
        ("上半年", Deadline, Some(ymd(2019, 6, 30)), true),
        ("每季度末", Recurring, None, false),
        ("长期坚持", Ongoing, None, false),
        ("持续推进", Ongoing, None, false),
    ];
    for (text, kind, due, inferred) in cases {
        let parsed = parse_schedule(text, plan);
        assert_eq!((parsed.kind, parsed.due_date, parsed.year_inferred), (kind, due, inferred), "{text}");
        assert_eq!(codes(&parsed).contains(&"YEAR_ASSUMED"), inferred, "{text}");
    }
}

#[test]
fn a_year_followed_by_qi_is_a_start() {
    let parsed = parse_schedule("2023年起全面实施", Some(ymd(2022, 3, 1)));
    assert_eq!((parsed.kind, parsed.due_date, parsed.ongoing), (Ongoing, None, true));
    assert_eq!(parsed.starts_on, Some(ymd(2023, 1, 1)));
    assert_eq!(parse_schedule("2015年1月1日起实施", plan()).starts_on, Some(ymd(2015, 1, 1)));
    assert_eq!(parse_schedule("第三季度起", plan()).starts_on, Some(ymd(2014, 7, 1)));
}

#[test]
fn several_dates_make_the_last_due_and_the_earlier_milestones() {
    let parsed = parse_schedule("2022年9月底前出台实施方案,2023年底前全面推开", Some(ymd(2022, 3, 1)));
    assert_eq!((parsed.kind, parsed.due_date), (Deadline, Some(ymd(2023, 12, 31))));
    assert_eq!(parsed.milestones, [ymd(2022, 9, 30)]);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let three = parse_schedule("6月底前启动,9月底前完成试点,年底前全面推广", Some(ymd(2022, 3, 1)));
    assert_eq!(three.due_date, Some(ymd(2022, 12, 31)));
    assert_eq!(three.milestones, [ymd(2022, 6, 30), ymd(2022, 9, 30)]);
    assert!(three.year_inferred);
    assert_eq!(codes(&three), ["YEAR_ASSUMED"]);
}

#[test]
fn a_plan_known_by_its_number_or_title_gives_the_year() {
    let plan = PlanDates { issued_on: None, year: Some(2019) };
    let parsed = parse_schedule_with("9月底前修订形成新版清单", plan);
    assert_eq!((parsed.due_date, parsed.year_inferred), (Some(ymd(2019, 9, 30)), true));
    assert_eq!(parse_schedule_with("年内完成", plan).due_date, Some(ymd(2019, 12, 31)));
    // A period needs the day the plan was issued, not only its year.
    assert_eq!(codes(&parse_schedule_with("3个月内完成", plan)), ["NO_PLAN_DATE"]);
}
