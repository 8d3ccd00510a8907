//! Fixtures of the layouts that used to be misread (shapes 1–8 of the import issue), each with
//! the tasks, units, people, schedules and numbering it must give.

use super::super::clean::clean;
use super::super::notice::parse_notice;
use super::super::schedule::{PlanDates, parse_schedule, parse_schedule_with};
use super::*;
use crate::import::catalog::classify_name;
use chrono::NaiveDate;
use entity::{DepartmentKind, ScheduleKind};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn explicit(leads: &[&str], supporting: &[&str]) -> UnitSpec {
    UnitSpec::Explicit { leads: names(leads), supporting: names(supporting) }
}

fn listed(units: &[&str]) -> UnitSpec {
    UnitSpec::Listed(names(units))
}

fn rows_of(raw: &str) -> RowsOutcome {
    parse_rows(&clean(raw))
}

fn codes(outcome: &RowsOutcome) -> Vec<&'static str> {
    outcome.warnings.iter().map(|w| w.code).collect()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Kind and due date of a task's schedule as the importer will store them.
fn schedule_of(task: &RawTask, plan: Option<NaiveDate>) -> (ScheduleKind, Option<NaiveDate>, bool) {
    let parsed = parse_schedule(&task.schedule, plan);
    (parsed.kind, parsed.due_date, parsed.ongoing)
}

#[test]
fn shape1_a_title_starting_with_digits_keeps_its_number() {
    let outcome = rows_of(include_str!("../fixtures/shape1-digit-titles.txt"));
    let seqs: Vec<i32> = outcome.tasks.iter().map(|t| t.seq).collect();
    assert_eq!(seqs, (1..=9).collect::<Vec<_>>());
    let t = &outcome.tasks;
    assert_eq!(t[2].title, "20户以上自然村通硬化路");
    assert_eq!(t[6].title, "100个示范村创建工程。完成100个示范村创建验收");
    assert_eq!(t[6].units, explicit(&["市乡村振兴局"], &["各县区人民政府"]));
    assert_eq!(t[7].title, "5G网络覆盖全部行政村");
    assert_eq!(t[7].units, explicit(&["市工业和信息化局"], &["市通信发展管理办公室"]));
    assert_eq!(t[8].number, "9");
    // `1.5倍` inside task 2 is a decimal, not a task.
    assert!(t[1].measures.starts_with("1.5倍以上"), "{:?}", t[1].measures);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn shape1_digits_after_a_comma_mark_and_under_sections() {
    let outcome = rows_of(include_str!("../fixtures/shape1-digit-titles-comma.txt"));
    let got: Vec<(i32, &str, &str)> =
        outcome.tasks.iter().map(|t| (t.seq, t.number.as_str(), t.title.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (1, "一、1", "新建城区小学2所"),
            (2, "一、2", "300名乡村教师轮训"),
            (3, "二、3", "120急救网络覆盖所有乡镇"),
            (4, "二、4", "2000名65岁以上老人免费体检"),
        ]
    );
    assert_eq!(outcome.tasks[3].units, listed(&["县卫生健康局", "各乡镇人民政府"]));
}

#[test]
fn shape2_nested_brackets_stay_with_their_name_and_the_first_unit_leads() {
    let outcome = rows_of(include_str!("../fixtures/shape2-nested-brackets.txt"));
    let t = &outcome.tasks;
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].units, listed(&["县应急管理局", "县卫生健康局", "各乡(镇、街道)人民政府(办事处)"]));
    assert!(t[0].units_not_exhaustive);
    assert_eq!(t[0].measures, "建立县乡两级应急救援队伍,开展联合演练。");
    assert_eq!(
        t[1].units,
        listed(&["县公安局", "县交通运输局(县公路事业发展中心)", "县应急管理局", "各乡(镇、街道)人民政府(办事处)"])
    );
    assert!(!t[1].units_not_exhaustive);
    assert_eq!(t[2].units, listed(&["县卫生健康局", "县医疗保障局(县医疗保障基金监管中心)"]));
    assert!(t[2].units_not_exhaustive, "`…(…)等` ends the list too");
    assert_eq!(classify_name("各乡(镇、街道)人民政府(办事处)"), DepartmentKind::Group);
    assert_eq!((t[0].schedule.as_str(), t[0].schedule_source), ("2023年6月底前", ScheduleSource::Cell));
    assert_eq!(codes(&outcome), ["UNITS_NOT_EXHAUSTIVE", "UNITS_NOT_EXHAUSTIVE"]);
}

#[test]
fn shape2_label_after_the_title_on_one_line() {
    let outcome = rows_of(include_str!("../fixtures/shape2-nested-brackets-city.txt"));
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "完善城市内涝治理体系");
    assert_eq!(t[0].units, listed(&["市城市管理局(市排水事务中心)", "市水务局", "各区人民政府(管委会)"]));
    assert_eq!(t[1].units, listed(&["市住房城乡建设局", "各县(市、区)人民政府"]));
    assert_eq!((t[1].number.as_str(), t[1].units_not_exhaustive), ("四、2", true));
}

#[test]
fn shape3_square_bracket_blocks_role_phrases_and_document_notes() {
    let outcome = rows_of(include_str!("../fixtures/shape3-square-blocks.txt"));
    let t = &outcome.tasks;
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].title, "全面推行证明事项告知承诺制");
    assert_eq!(t[0].units, listed(&["市司法局", "市政务服务中心", "市公安局", "市民政局"]));
    assert_eq!(t[1].units, listed(&["市政务服务中心", "市大数据局"]));
    assert_eq!(t[2].units, explicit(&["市住房城乡建设局"], &["市自然资源局", "市发展改革委"]));
    assert_eq!(t[3].units, explicit(&["市发展改革委"], &["市市场监管局", "市财政局"]));
    assert_eq!(codes(&outcome), ["DOCUMENT_NOTE"]);
    assert!(outcome.warnings[0].message.contains("各县区均为责任单位,不再列出,下同"));
}

#[test]
fn shape4_units_and_schedule_in_one_parenthetical() {
    let raw = include_str!("../fixtures/shape4-paren-units-schedule.txt");
    let plan = parse_notice(&clean(raw)).issued_on;
    assert_eq!(plan, ymd(2021, 3, 15));
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].units, listed(&["省直各部门"]));
    assert_eq!(classify_name("省直各部门"), DepartmentKind::CatchAll);
    assert_eq!((t[0].schedule.as_str(), t[0].schedule_source), ("年内完成", ScheduleSource::Parenthetical));
    assert_eq!(schedule_of(&t[0], plan), (ScheduleKind::Deadline, ymd(2021, 12, 31), false));
    assert_eq!(t[1].units, explicit(&["省发展改革委"], &["省直有关部门", "各地"]));
    assert_eq!(schedule_of(&t[1], plan), (ScheduleKind::Deadline, ymd(2021, 6, 30), false));
    assert_eq!(t[2].units, listed(&["省人力资源社会保障厅", "省财政厅"]));
    assert_eq!(schedule_of(&t[2], plan), (ScheduleKind::Ongoing, None, true));
    assert_eq!(schedule_of(&t[3], plan), (ScheduleKind::Deadline, ymd(2021, 6, 30), false));
}

#[test]
fn shape5_sub_measures_with_units_become_tasks_under_their_parent() {
    let outcome = rows_of(include_str!("../fixtures/shape5-sub-measures.txt"));
    let got: Vec<(i32, &str, Option<i32>, &str)> =
        outcome.tasks.iter().map(|t| (t.seq, t.number.as_str(), t.parent, t.title.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (1, "一、(一)", None, "加快发展现代农业"),
            (2, "一、(一)(1)", Some(1), "实施高标准农田建设工程"),
            (3, "一、(一)(2)", Some(1), "发展特色林果产业"),
            (4, "一、(一)(3)", Some(1), "加强农业技术推广"),
            (5, "一、(二)", None, "推进新型城镇化建设"),
            (6, "一、(二)1", Some(5), "推进城镇老旧小区改造"),
            (7, "一、(二)2", Some(5), "完善城市排水设施"),
            (8, "一、(二)3", Some(5), "开展城市体检评估"),
        ]
    );
    let t = &outcome.tasks;
    let parent_one = explicit(&["市农业农村局", "市林业局"], &["市财政局", "市自然资源局", "各县区人民政府"]);
    assert_eq!(t[0].units, parent_one, "a parent without units is led by its sub-measures' leads");
    assert_eq!(t[1].units, explicit(&["市农业农村局"], &["市财政局", "市自然资源局"]));
    assert_eq!(t[2].units, explicit(&["市林业局"], &["各县区人民政府"]));
    assert_eq!(t[3].units, parent_one, "a sub-measure without units inherits its parent's");
    assert_eq!(t[4].units, explicit(&["市住房城乡建设局"], &["市发展改革委"]));
    assert_eq!(t[5].units, listed(&["市住房城乡建设局", "市财政局"]));
    assert_eq!((t[6].schedule.as_str(), t[6].schedule_source), ("2022年底前完成", ScheduleSource::Parenthetical));
    assert_eq!(t[7].units, t[4].units);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn shape5_sub_measures_on_lines_of_their_own() {
    let outcome = rows_of(include_str!("../fixtures/shape5-sub-measures-county.txt"));
    let got: Vec<(i32, &str, Option<i32>)> =
        outcome.tasks.iter().map(|t| (t.seq, t.number.as_str(), t.parent)).collect();
    assert_eq!(
        got,
        vec![
            (1, "1", None),
            (2, "1(1)", Some(1)),
            (3, "1(2)", Some(1)),
            (4, "1(3)", Some(1)),
            (5, "2", None),
            (6, "2(1)", Some(5)),
            (7, "2(2)", Some(5)),
            (8, "3", None),
        ]
    );
    let t = &outcome.tasks;
    assert_eq!(t[1].units, listed(&["县农业农村局", "各乡镇人民政府"]));
    assert_eq!(t[3].units, explicit(&["县农业农村局"], &[]));
    assert_eq!(t[7].units, explicit(&["县行政审批局"], &["县市场监管局"]));
}

#[test]
fn shape6_deadlines_written_in_the_task_text() {
    let raw = include_str!("../fixtures/shape6-in-text-schedules.txt");
    let plan = parse_notice(&clean(raw)).issued_on;
    assert_eq!(plan, ymd(2022, 3, 10));
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 9);
    let expected: [(ScheduleSource, ScheduleKind, Option<NaiveDate>, bool); 9] = [
        (ScheduleSource::Title, ScheduleKind::Deadline, ymd(2022, 6, 30), false),
        (ScheduleSource::Title, ScheduleKind::Recurring, None, true),
        (ScheduleSource::Title, ScheduleKind::Deadline, ymd(2022, 5, 31), true),
        (ScheduleSource::Title, ScheduleKind::Deadline, ymd(2025, 3, 10), false),
        (ScheduleSource::Parenthetical, ScheduleKind::Deadline, ymd(2023, 10, 31), false),
        // `压缩…至1个工作日以内` is a target, not a deadline.
        (ScheduleSource::None, ScheduleKind::Unparsed, None, false),
        (ScheduleSource::Title, ScheduleKind::Deadline, ymd(2021, 6, 30), false),
        (ScheduleSource::Measures, ScheduleKind::Deadline, ymd(2022, 9, 30), false),
        (ScheduleSource::None, ScheduleKind::Unparsed, None, false),
    ];
    for (task, (source, kind, due, ongoing)) in t.iter().zip(expected) {
        assert_eq!(task.schedule_source, source, "task {}: {:?}", task.seq, task.schedule);
        assert_eq!(schedule_of(task, plan), (kind, due, ongoing), "task {}: {:?}", task.seq, task.schedule);
    }
    assert_eq!(t[2].schedule, "5月底前出台实施办法,年内持续推进");
    let year = parse_schedule(&t[2].schedule, plan);
    assert_eq!(year.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), ["YEAR_ASSUMED"]);
    assert_eq!(t[7].title, "推进“证照分离”改革");
}

#[test]
fn shape7_groups_and_catch_alls_are_named_by_their_kind() {
    let outcome = rows_of(include_str!("../fixtures/shape7-groups.txt"));
    let t = &outcome.tasks;
    assert_eq!(t.len(), 6);
    assert_eq!(t[0].units, listed(&["省商务厅", "各区", "各县级市人民政府"]));
    assert_eq!(t[1].units, explicit(&["省商务厅"], &["省文化和旅游厅", "各有关县区"]));
    assert_eq!(t[2].units, listed(&["各地区", "各部门"]));
    assert_eq!(t[3].units, explicit(&["省商务厅"], &["省直有关部门", "各地"]));
    assert_eq!(t[4].units, explicit(&["省发展改革委"], &["各项目牵头单位"]));
    assert_eq!(t[5].units, listed(&["市级各有关部门"]));
    let kinds = [
        ("各区", DepartmentKind::Group),
        ("各县级市人民政府", DepartmentKind::Group),
        ("各有关县区", DepartmentKind::Group),
        ("各地区", DepartmentKind::Group),
        ("各部门", DepartmentKind::CatchAll),
        ("省直有关部门", DepartmentKind::CatchAll),
        ("各地", DepartmentKind::Group),
        ("各项目牵头单位", DepartmentKind::CatchAll),
        ("市级各有关部门", DepartmentKind::CatchAll),
        ("省商务厅", DepartmentKind::Unit),
    ];
    for (name, kind) in kinds {
        assert_eq!(classify_name(name), kind, "{name}");
    }
}

#[test]
fn shape8_a_table_with_a_person_column_and_a_name_with_its_own_bracket() {
    let outcome = rows_of(include_str!("../fixtures/shape8-roles-table.txt"));
    let t = &outcome.tasks;
    assert_eq!(t.len(), 3);
    assert_eq!(t[0].leader.as_deref(), Some("张伟(副县长)"));
    assert_eq!(t[0].units, explicit(&["县住房城乡建设局"], &["县发改局(粮食局)", "县财政局"]));
    assert_eq!(t[1].leader.as_deref(), Some("王芳(县委常委、副县长)"));
    assert_eq!(t[1].units, explicit(&["县发改局(粮食局)"], &["县自然资源局", "县财政局"]));
    assert_eq!((t[2].schedule.as_str(), t[2].schedule_source), ("持续推进", ScheduleSource::Cell));
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn shape8_office_person_and_third_unit_labels_mixed_brackets_and_lead_rules() {
    let outcome = rows_of(include_str!("../fixtures/shape8-roles-labels.txt"));
    let t = &outcome.tasks;
    assert_eq!(t.len(), 4);
    assert_eq!(t[0].leader.as_deref(), Some("李明(副市长)"));
    assert_eq!(t[0].units, explicit(&["市农业农村局科技教育科"], &["市大数据局", "市统计局", "市气象局"]));
    assert_eq!((t[0].schedule.as_str(), t[0].schedule_source), ("2022年底前", ScheduleSource::Cell));
    assert_eq!(t[1].units, explicit(&["市大数据局"], &["市财政局", "县发改局(粮食局)"]));
    assert_eq!(t[2].units, listed(&["市城市管理局", "市公安局"]));
    assert_eq!(t[3].units, listed(&["市政务服务中心", "市市场监管局"]));
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn numbering_that_restarts_in_each_section_is_renumbered_and_kept_as_text() {
    let text = "一、就业\n1.开展职业技能培训。(县人力资源社会保障局负责)\n2.扶持创业。(县人力资源社会保障局、县财政局负责)\n\
        二、教育\n1.新建幼儿园3所。(县教育局负责)\n2.改善农村学校条件。(县教育局、各乡镇人民政府负责)";
    let outcome = rows_of(text);
    let got: Vec<(i32, &str)> = outcome.tasks.iter().map(|t| (t.seq, t.number.as_str())).collect();
    assert_eq!(got, vec![(1, "一、1"), (2, "一、2"), (3, "二、1"), (4, "二、2")]);
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn the_new_fields_of_the_reference_plan_are_plain() {
    let outcome = rows_of(include_str!("../../../../data/panshan-2014-103.txt"));
    for task in &outcome.tasks {
        assert_eq!(task.number, task.seq.to_string());
        assert_eq!((task.parent, task.leader.as_deref()), (None, None));
        assert_eq!(task.schedule_source, ScheduleSource::Cell);
        assert!(!task.units_not_exhaustive);
    }
}

#[test]
fn a_deeply_nested_outline_is_read_in_reasonable_time() {
    let text = "(1)推进工作(县民政局负责)主要措施:\n".repeat(3000);
    let started = std::time::Instant::now();
    let outcome = rows_of(&text);
    assert!(!outcome.tasks.is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn shape9_short_names_and_scopes_are_not_units_and_catch_all_tails_are_dropped() {
    let raw = include_str!("../fixtures/shape9-asides-and-catch-alls.txt");
    assert_eq!(parse_notice(&clean(raw)).title, "2027年重点工作任务分工方案");
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 7, "{t:#?}");
    assert_eq!(t[0].units, explicit(&["区政务服务管理局"], &["区大数据中心", "区财政局"]));
    assert!(t[0].title.starts_with("建设全区一体化在线政务服务平台"), "{}", t[0].title);
    assert_eq!(t[1].units, explicit(&["区民政局"], &["区财政局", "区司法局"]));
    assert!(t[1].units_not_exhaustive);
    assert_eq!(t[2].units, listed(&["区政务服务管理局", "区市场监管局", "各有关单位"]));
    assert_eq!(classify_name("各有关单位"), DepartmentKind::CatchAll);
    assert_eq!(t[3].units, listed(&["区司法局", "区教育局"]));
    assert!(t[3].units_not_exhaustive);
    assert_eq!(t[4].units, explicit(&["区住房城乡建设局"], &["各街道办事处"]));
    assert_eq!(t[5].units, listed(&["区司法局", "区城市管理局", "各有关部门"]));
    assert_eq!(t[6].units, explicit(&["区人力资源社会保障局"], &["区医保局"]));
    assert!(t[6].units_not_exhaustive);
}

/// Kind, due date, whether the year was inferred and the milestones of a task's schedule.
fn schedule_in(task: &RawTask, plan: PlanDates) -> (ScheduleKind, Option<NaiveDate>, bool, Vec<NaiveDate>) {
    let parsed = parse_schedule_with(&task.schedule, plan);
    (parsed.kind, parsed.due_date, parsed.year_inferred, parsed.milestones)
}

#[test]
fn shape10_deadlines_whose_year_or_start_is_the_plans() {
    use ScheduleKind::{Deadline, Ongoing, Recurring};
    let raw = include_str!("../fixtures/shape10-deadlines-in-text.txt");
    let plan = parse_notice(&clean(raw)).plan_dates();
    assert_eq!(plan, PlanDates { issued_on: ymd(2019, 4, 8), year: Some(2019) });
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 15);
    let none = Vec::new;
    let expected = [
        (Deadline, ymd(2019, 9, 30), true, none()),
        (Deadline, ymd(2019, 6, 30), true, none()),
        (Deadline, ymd(2024, 4, 8), false, none()),
        (Deadline, ymd(2019, 7, 8), false, none()),
        (Deadline, ymd(2019, 12, 31), false, none()),
        (Deadline, ymd(2019, 12, 31), false, none()),
        (Deadline, ymd(2020, 12, 31), false, none()),
        (Deadline, ymd(2020, 12, 31), false, none()),
        (Deadline, ymd(2019, 9, 30), true, none()),
        (Deadline, ymd(2019, 6, 30), true, none()),
        (Recurring, None, false, none()),
        (Ongoing, None, false, none()),
        (Ongoing, None, false, none()),
        (Ongoing, None, false, none()),
        (Deadline, ymd(2020, 12, 31), false, vec![NaiveDate::from_ymd_opt(2019, 9, 30).unwrap()]),
    ];
    for (task, expected) in t.iter().zip(expected) {
        assert_ne!(task.schedule_source, ScheduleSource::None, "task {}", task.seq);
        assert_eq!(schedule_in(task, plan), expected, "task {}: {:?}", task.seq, task.schedule);
    }
    assert_eq!(parse_schedule_with(&t[13].schedule, plan).starts_on, ymd(2020, 1, 1));
    assert_eq!(t[0].units, explicit(&["县政务服务局"], &["县司法局"]));
    assert_eq!(t[8].units, explicit(&["县应急管理局"], &["各乡镇人民政府"]));
    assert_eq!(t[14].units, explicit(&["县住房城乡建设局"], &["县政务服务局", "县自然资源局"]));
}

#[test]
fn shape10_a_plan_without_a_date_takes_the_year_of_its_number() {
    let raw = include_str!("../fixtures/shape10-year-from-number.txt");
    let plan = parse_notice(&clean(raw)).plan_dates();
    assert_eq!(plan, PlanDates { issued_on: None, year: Some(2021) });
    let t = rows_of(raw).tasks;
    assert_eq!(t.len(), 2);
    assert_eq!(schedule_in(&t[0], plan), (ScheduleKind::Deadline, ymd(2021, 9, 30), true, Vec::new()));
    assert_eq!(schedule_in(&t[1], plan), (ScheduleKind::Deadline, ymd(2021, 6, 30), true, Vec::new()));
    assert_eq!(t[1].units, listed(&["县司法局"]));
}

#[test]
fn shape11_a_table_whose_cells_ran_together_is_read_row_by_row() {
    let raw = include_str!("../fixtures/shape11-glued-table.txt");
    let plan = parse_notice(&clean(raw)).issued_on;
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 6, "{t:#?}");
    let expected: [(&str, &str, &[&str], Option<NaiveDate>); 6] = [
        ("(一)1.(1)", "实现高频政务服务事项全程网上办理", &["市行政审批局", "市大数据中心"], ymd(2022, 6, 30)),
        ("(一)1.(2)", "推行电子证照跨部门互认共享", &["市大数据中心", "市行政审批局", "市公安局"], ymd(2022, 9, 30)),
        ("(一)2.(1)", "推行区域评估和告知承诺制", &["市行政审批局", "市发展改革委", "市财政局"], ymd(2022, 9, 30)),
        ("(一)2.(2)", "推进城市更新项目并联审批", &["市住房城乡建设局", "市自然资源和规划局"], ymd(2022, 12, 31)),
        ("(二)3", "全面实施市场准入负面清单制度", &["市市场监管局", "市发展改革委", "市商务局"], ymd(2022, 6, 30)),
        ("(二)4", "规范城市管理执法行为", &["市城市管理局", "市司法局"], None),
    ];
    for (task, (number, title, units, due)) in t.iter().zip(expected) {
        assert_eq!((task.number.as_str(), task.title.as_str()), (number, title));
        assert_eq!(task.units, listed(units), "task {}", task.seq);
        assert_eq!(schedule_of(task, plan).1, due, "task {}: {:?}", task.seq, task.schedule);
    }
    assert_eq!(schedule_of(&t[5], plan).0, ScheduleKind::Ongoing);
}

#[test]
fn shape12_label_lines_delimit_tasks_whose_numbers_were_lost() {
    let raw = include_str!("../fixtures/shape12-numbering-lost.txt");
    let plan = parse_notice(&clean(raw)).issued_on;
    let outcome = rows_of(raw);
    let t = &outcome.tasks;
    assert_eq!(t.len(), 6, "{t:#?}");
    assert!(codes(&outcome).contains(&"NUMBERING_UNRELIABLE"), "{:?}", outcome.warnings);
    let titles: Vec<&str> = t.iter().map(|task| task.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "推进农村户厕改造",
            "健全厕所粪污收运体系",
            "加强农村生活垃圾治理",
            "推进农村生活污水治理",
            "开展村庄清洁行动",
            "建设美丽宜居示范村20个"
        ]
    );
    let numbers: Vec<&str> = t.iter().map(|task| task.number.as_str()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(t[0].units, explicit(&["县农业农村局"], &["县卫生健康局", "各乡镇人民政府"]));
    assert_eq!(t[2].units, explicit(&["县住房城乡建设局"], &["县城市管理局", "县财政局"]));
    assert_eq!(t[3].units, explicit(&["市生态环境局某县分局"], &["县住房城乡建设局"]));
    assert_eq!(t[4].units, listed(&["各乡镇人民政府", "县农业农村局"]));
    assert_eq!(t[5].units, explicit(&["县农业农村局"], &["县自然资源局", "县住房城乡建设局"]));
    assert!(t[5].units_not_exhaustive);
    let dues: Vec<_> = t.iter().map(|task| schedule_of(task, plan)).collect();
    assert_eq!(dues[0], (ScheduleKind::Deadline, ymd(2021, 11, 30), false));
    assert_eq!(dues[1].0, ScheduleKind::Ongoing);
    assert_eq!(dues[3], (ScheduleKind::Deadline, ymd(2022, 6, 30), false));
    assert_eq!(dues[4].0, ScheduleKind::Ongoing);
    assert_eq!(dues[5], (ScheduleKind::Deadline, ymd(2021, 10, 31), false));
}
