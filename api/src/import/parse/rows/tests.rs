//! Tests of the row readers, one per layout, plus robustness.

use super::super::clean::clean;
use super::items::{Style, parse_marker};
use super::*;
use proptest::prelude::*;

const REFERENCE: &str = include_str!("../../../../data/panshan-2014-103.txt");

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn explicit(leads: &[&str], supporting: &[&str]) -> UnitSpec {
    UnitSpec::Explicit { leads: names(leads), supporting: names(supporting) }
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
        UnitSpec::Listed(names(&["县民政局", "县发展改革委", "县财政局", "县政府其他有关部门", "各镇人民政府"]))
    );
    assert!(first.measures.contains("医保(新农合)"));
    assert_eq!(first.schedule, "2014年12月底前落实并持续实施");
    let eleventh = &outcome.tasks[10];
    assert_eq!(eleventh.title, "规划、建设自然灾害救助物资储备库,保障救助物资供应");
    let UnitSpec::Listed(units) = &outcome.tasks[23].units else { panic!("task 24 is listed") };
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
    let outcome = rows_of(include_str!("../fixtures/layout2-paren-labels.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2, 3, 4]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "压缩企业开办时间。将企业开办时间压缩至1个工作日以内");
    assert_eq!(t[0].units, explicit(&["县市场监管局"], &["县税务局", "县公安局", "县人力资源社会保障局"]));
    assert_eq!(t[1].title, "推进政务服务“一网通办”");
    assert_eq!(t[1].units, explicit(&["县行政审批局"], &["县大数据中心", "各乡镇人民政府"]));
    assert_eq!(t[2].units, explicit(&["县发展改革局", "县财政局"], &["各县(市、区)政府"]));
    assert_eq!(t[2].schedule, "2021年6月底前");
    assert_eq!(t[3].units, explicit(&["县税务局"], &[]));
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn reads_label_lines() {
    let outcome = rows_of(include_str!("../fixtures/layout3-label-lines.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2, 3]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "实施城镇老旧小区改造");
    assert_eq!(t[0].measures, "改造老旧小区12个,惠及居民3000户。");
    assert_eq!(t[0].units, explicit(&["县住房城乡建设局"], &["县财政局", "县发展改革局", "各镇人民政府"]));
    assert_eq!(t[0].schedule, "2022年11月底前");
    assert_eq!(t[1].units, explicit(&["县交通运输局"], &["县财政局", "县自然资源局"]));
    assert_eq!(t[1].schedule, "2022年10月底前");
    assert_eq!(t[2].units, explicit(&["县教育局"], &["县财政局", "县人力资源社会保障局"]));
    assert_eq!(t[2].schedule, "持续推进");
}

#[test]
fn responsible_units_alone_are_listed() {
    let outcome = rows_of(include_str!("../fixtures/layout4-listed.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2, 3]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "新建城区公办幼儿园2所");
    assert_eq!(t[0].units, UnitSpec::Listed(names(&["县教育局", "县住房城乡建设局", "县财政局"])));
    assert_eq!(t[1].units, UnitSpec::Listed(names(&["县水利局", "各镇人民政府"])));
    assert_eq!(t[1].schedule, "年底前");
    assert_eq!(t[2].units, UnitSpec::Listed(names(&["县卫生健康局"])));
}

#[test]
fn the_no_lead_rule_makes_every_responsible_unit_a_lead() {
    let outcome = rows_of(include_str!("../fixtures/layout4-rule.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2]);
    let t = &outcome.tasks;
    assert_eq!(t[0].units, explicit(&["县教育局", "县住房城乡建设局", "县财政局"], &[]));
    assert_eq!(t[1].units, explicit(&["县水利局"], &["县财政局", "各镇人民政府"]));
}

#[test]
fn reads_inline_leads_and_by_clauses() {
    let outcome = rows_of(include_str!("../fixtures/layout5-inline.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2, 3, 4]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "推进高标准农田建设,新建高标准农田2万亩");
    assert_eq!(t[0].units, explicit(&["县农业农村局"], &["县财政局", "县自然资源局"]));
    assert_eq!(t[1].units, explicit(&["县农业农村局", "县市场监管局"], &["各镇人民政府"]));
    assert_eq!(t[2].title, "开展农村生活垃圾治理");
    assert_eq!(t[2].units, explicit(&["县住房城乡建设局"], &["县生态环境局", "各镇人民政府"]));
    assert_eq!(t[3].units, UnitSpec::Listed(names(&["县农业农村局"])));
}

#[test]
fn reads_a_whitespace_table_with_a_spaced_header() {
    let outcome = rows_of(include_str!("../fixtures/layout6-space-table.txt"));
    assert_eq!(seqs(&outcome), vec![1, 2, 3, 4, 5]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "建设县城污水处理厂二期工程");
    assert_eq!(t[0].units, explicit(&["县住房城乡建设局"], &["县发展改革局", "县财政局"]));
    assert_eq!(t[0].schedule, "2023年12月底前");
    assert_eq!(t[3].title, "推进政务服务“一网通办”");
    assert_eq!(t[3].units, explicit(&["县行政审批局"], &["县大数据中心"]));
    assert_eq!(t[2].schedule, "年内");
    let codes: Vec<_> = outcome.warnings.iter().map(|w| (w.code, w.line)).collect();
    assert_eq!(codes, vec![("ROW_INCOMPLETE", Some(8))]);
}

#[test]
fn reads_a_traditional_notice_on_one_line() {
    let raw = include_str!("../fixtures/layout7-traditional-one-line.txt");
    assert_eq!(raw.lines().count(), 1);
    let outcome = rows_of(raw);
    assert_eq!(seqs(&outcome), vec![1, 2, 3]);
    let t = &outcome.tasks;
    assert_eq!(t[0].title, "完善最低生活保障制度");
    assert_eq!(t[0].units, explicit(&["县民政局"], &["县财政局", "县统计局"]));
    assert_eq!(t[1].units, explicit(&["县民政局", "县卫生计生局"], &["县财政局"]));
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
    assert_eq!(codes, vec![("ROW_INCOMPLETE", Some(5)), ("SEQ_GAP", Some(3)), ("SEQ_DUPLICATE", Some(4))]);
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
            include_str!("../fixtures/layout2-paren-labels.txt"),
            include_str!("../fixtures/layout3-label-lines.txt"),
            include_str!("../fixtures/layout5-inline.txt"),
            include_str!("../fixtures/layout6-space-table.txt"),
            include_str!("../fixtures/layout7-traditional-one-line.txt"),
            include_str!("../fixtures/shape1-digit-titles.txt"),
            include_str!("../fixtures/shape3-square-blocks.txt"),
            include_str!("../fixtures/shape4-paren-units-schedule.txt"),
            include_str!("../fixtures/shape5-sub-measures.txt"),
            include_str!("../fixtures/shape6-in-text-schedules.txt"),
            include_str!("../fixtures/shape8-roles-labels.txt"),
        ] {
            let _ = parse_rows(&clean(&mutate(fixture, at, len, &insert)));
        }
    }
}
