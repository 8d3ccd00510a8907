//! Word and Excel tables in other shapes: merged cells, two-row headers, columns in another
//! order, a person column, several sheets, schedules only in the text.

use super::super::parse_file;
use super::super::samples::{Cell, Sheet, docx, para, table, text};
use crate::import::parse::rows::{ScheduleSource, UnitSpec};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn word_merged_cells_down_and_across_and_a_two_row_header() {
    let m = |s: &str| Cell::MergeStart(s.to_string());
    let rows = vec![
        vec![Cell::Span("某县2023年重点工作任务分解表".into(), 6)],
        vec![m("序号"), m("工作任务"), m("具体措施"), Cell::Span("责任单位".into(), 2), m("完成时限")],
        vec![
            Cell::MergeContinue,
            Cell::MergeContinue,
            Cell::MergeContinue,
            text("牵头单位"),
            text("配合单位"),
            Cell::MergeContinue,
        ],
        vec![
            m("1"),
            m("推进老旧小区改造"),
            text("改造小区12个"),
            m("县住房城乡建设局"),
            text("县财政局"),
            text("2023年10月底前"),
        ],
        vec![
            Cell::MergeContinue,
            Cell::MergeContinue,
            text("加装电梯30部"),
            Cell::MergeContinue,
            text("县市场监管局"),
            text(""),
        ],
        vec![
            text("2"),
            text("新建农村公路50公里"),
            text("完成路基路面"),
            m("县交通运输局"),
            text("县财政局、县自然资源局"),
            text("年底前"),
        ],
        vec![
            text("3"),
            text("开展公路安全整治"),
            text("排查隐患"),
            Cell::MergeContinue,
            text("县公安局"),
            text("持续推进"),
        ],
    ];
    let body = format!("{}{}", para("某县人民政府办公室\n2023年2月1日"), table(&rows));
    let plan = parse_file("分解表.docx", &docx(&body)).expect("docx parses");
    let t = &plan.rows;
    assert_eq!(t.len(), 3, "{t:#?}");
    assert_eq!(t[0].title, "推进老旧小区改造");
    assert_eq!(t[0].measures, "改造小区12个\n加装电梯30部");
    let first = UnitSpec::Explicit {
        leads: names(&["县住房城乡建设局"]),
        supporting: names(&["县财政局", "县市场监管局"]),
    };
    assert_eq!(t[0].units, first);
    assert_eq!(t[0].schedule, "2023年10月底前");
    let third = UnitSpec::Explicit { leads: names(&["县交通运输局"]), supporting: names(&["县公安局"]) };
    assert_eq!(t[2].units, third, "a lead merged down over two tasks leads both");
    assert_eq!(plan.notice.issued_on, chrono::NaiveDate::from_ymd_opt(2023, 2, 1));
}

#[test]
fn a_sheet_with_columns_in_another_order_a_person_and_no_schedule_column() {
    let header = ["责任领导", "牵头单位", "工作任务", "序号", "配合单位", "落实措施"];
    let data = [
        ["张伟(副县长)", "县发改局(粮食局)", "新建粮食仓储设施", "1", "县财政局", "2023年6月底前完成主体工程"],
        ["李强(副县长)", "县水利局", "2023年底前完成水库除险加固", "2", "各乡镇人民政府", "加固水库3座"],
        ["王芳(副县长)", "县教育局", "推进义务教育优质均衡", "3", "县财政局等", "每年新增学位1000个"],
    ];
    let mut sheet = Sheet { name: "任务".into(), ..Sheet::default() };
    sheet.cells.push((0, 0, "某县2023年重点任务分工".into()));
    for (c, h) in header.iter().enumerate() {
        sheet.cells.push((2, u16::try_from(c).unwrap(), (*h).to_string()));
    }
    for (r, row) in data.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.cells.push((u32::try_from(r + 3).unwrap(), u16::try_from(c).unwrap(), (*cell).to_string()));
        }
    }
    let plan = parse_file("tasks.xlsx", &super::super::samples::xlsx(&[sheet])).expect("xlsx parses");
    let t = &plan.rows;
    assert_eq!(t.iter().map(|t| t.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(t[0].title, "新建粮食仓储设施");
    assert_eq!(t[0].leader.as_deref(), Some("张伟(副县长)"));
    assert_eq!(
        t[0].units,
        UnitSpec::Explicit { leads: names(&["县发改局(粮食局)"]), supporting: names(&["县财政局"]) }
    );
    assert_eq!((t[0].schedule.as_str(), t[0].schedule_source), ("2023年6月底前完成主体工程", ScheduleSource::Measures));
    assert_eq!(t[1].schedule_source, ScheduleSource::Title);
    assert_eq!(t[2].schedule_source, ScheduleSource::Measures);
    assert!(t[2].units_not_exhaustive);
    assert!(plan.warnings.iter().any(|w| w.code == "UNITS_NOT_EXHAUSTIVE"), "{:?}", plan.warnings);
}

#[test]
fn merged_sheet_cells_and_date_cells() {
    let mut sheet = Sheet { name: "Sheet1".into(), ..Sheet::default() };
    for (c, h) in ["序号", "工作任务", "责任单位", "完成时间"].iter().enumerate() {
        sheet.cells.push((0, u16::try_from(c).unwrap(), (*h).to_string()));
    }
    sheet.cells.push((1, 0, "1".into()));
    sheet.cells.push((1, 1, "建设智慧停车系统".into()));
    sheet.cells.push((2, 0, "2".into()));
    sheet.cells.push((2, 1, "推进城市道路改造".into()));
    sheet.merges.push(((1, 2, 2, 2), "市城市管理局、市公安局".into()));
    sheet.dates.push((1, 3, (2023, 6, 30)));
    sheet.cells.push((2, 3, "年内".into()));
    let plan = parse_file("a.xlsx", &super::super::samples::xlsx(&[sheet])).expect("xlsx parses");
    let t = &plan.rows;
    assert_eq!(t.len(), 2);
    assert_eq!(t[1].units, UnitSpec::Listed(names(&["市城市管理局", "市公安局"])));
    assert_eq!(t[0].schedule, "2023年6月30日");
}

/// Issue 24: a title starting with its year (`2027年…`) keeps the year, in Word and Excel.
#[test]
fn a_title_starting_with_its_year_keeps_it_in_word_and_excel() {
    let title = "2027年重点工作任务分工方案";
    let header = ["序号", "工作任务", "责任单位", "完成时限"];
    let row = ["1", "建成城乡供水一体化工程", "县水务局、县财政局", "2027年10月底前"];
    let rows = vec![header.iter().map(|h| text(h)).collect(), row.iter().map(|c| text(c)).collect()];
    let notice = format!("某县人民政府办公室\n2027年2月15日\n{title}");
    let word = docx(&format!("{}{}", para(&notice), table(&rows)));
    let plan = parse_file("a.docx", &word).expect("docx parses");
    assert_eq!(plan.notice.title, title);

    let mut sheet = Sheet { name: "Sheet1".into(), ..Sheet::default() };
    sheet.merges.push(((0, 0, 0, 3), title.into()));
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        sheet.cells.push((1, u16::try_from(c).unwrap(), (*h).to_string()));
        sheet.cells.push((2, u16::try_from(c).unwrap(), v.to_string()));
    }
    let plan = parse_file("a.xlsx", &super::super::samples::xlsx(&[sheet])).expect("xlsx parses");
    assert_eq!(plan.notice.title, title);
    assert_eq!(plan.rows.len(), 1);
}
