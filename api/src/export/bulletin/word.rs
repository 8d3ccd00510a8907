//! The bulletin as a Word document in the form of an official notice (GB/T 9704 in spirit): A4,
//! the notice's masthead and number, a 小标宋 title, 黑体 section headings, a 仿宋 三号 body,
//! tables in 仿宋 四号, a chart of each unit's reports on time ([`super::chart`]), and the issuing
//! office and date at the foot.

use super::figures::{Bulletin, Line};
use crate::error::{AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts, SpecialIndentType,
    Table, TableCell, TableRow, WidthType,
};

/// Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt.
const ERHAO: usize = 44;
const SANHAO: usize = 32;
const SIHAO: usize = 28;
/// Twips: A4, and the margins of an official document (37/35/28/26 mm).
const A4: (u32, u32) = (11_906, 16_838);
const MARGINS: (i32, i32, i32, i32) = (2_098, 1_984, 1_587, 1_474);
/// The text width in twips, for tables.
const TEXT_WIDTH: usize = 11_906 - 1_587 - 1_474;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn text(value: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(value).fonts(fonts(font)).size(size)
}

/// The first line indented two characters of 三号 (2 × 16 pt).
fn two_characters(paragraph: Paragraph) -> Paragraph {
    paragraph.indent(None, Some(SpecialIndentType::FirstLine(640)), None, None).first_line_chars(200)
}

/// A body paragraph: 仿宋 三号, indented two characters.
fn body(value: &str) -> Paragraph {
    two_characters(Paragraph::new().add_run(text(value, "仿宋", SANHAO))).line_spacing(exact())
}

/// A section heading: 黑体 三号, indented two characters.
fn heading(value: &str) -> Paragraph {
    two_characters(Paragraph::new().add_run(text(value, "黑体", SANHAO))).line_spacing(exact()).keep_next(true)
}

/// 28-point lines, as official documents set them (22 lines a page).
fn exact() -> LineSpacing {
    LineSpacing::new().line(560).line_rule(docx_rs::LineSpacingType::Exact)
}

/// `2015年4月1日`.
pub fn chinese_date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// A table with a bold header row; columns sized by `widths` (relative).
fn table(header: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let total: usize = widths.iter().sum();
    let grid: Vec<usize> = widths.iter().map(|w| TEXT_WIDTH * w / total).collect();
    let cell = |value: &str, font: &str, width: usize| {
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(text(value, font, SIHAO)).align(AlignmentType::Center))
            .width(width, WidthType::Dxa)
    };
    let mut all = vec![TableRow::new(header.iter().zip(&grid).map(|(h, w)| cell(h, "黑体", *w)).collect())];
    for row in rows {
        all.push(TableRow::new(row.iter().zip(&grid).map(|(v, w)| cell(v, "仿宋", *w)).collect()));
    }
    Table::new(all).set_grid(grid).width(TEXT_WIDTH, WidthType::Dxa)
}

/// The page number at the foot, centred, as official documents set it: `— 1 —` in 宋体 四号.
fn page_number() -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(text("— ", "宋体", SIHAO))
            .add_page_num(PageNum::new())
            .add_run(text(" —", "宋体", SIHAO))
            .size(SIHAO)
            .align(AlignmentType::Center),
    )
}

fn day(line: &Line) -> String {
    line.on.map(chinese_date).unwrap_or_default()
}

/// Writes the bulletin as a .docx file.
pub fn write(bulletin: &Bulletin) -> AppResult<Vec<u8>> {
    let month = bulletin.month;
    let office = bulletin.document.as_ref().and_then(|d| d.issuer.clone()).unwrap_or_else(|| "督查办公室".to_owned());
    // A plan's title often reads 关于…方案 itself; the notice's title says 关于 once.
    let subject = bulletin
        .document
        .as_ref()
        .map_or_else(|| "重点任务".to_owned(), |d| d.title.strip_prefix("关于").unwrap_or(&d.title).to_owned());
    let (year, number) = (month.year, month.number);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(MARGINS.0).bottom(MARGINS.1).left(MARGINS.2).right(MARGINS.3))
        .default_fonts(fonts("仿宋"))
        .default_size(SANHAO)
        .footer(page_number());

    // The masthead: the notice's name in red, its number, then the title.
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(text("督 查 通 报", "方正小标宋简体", 80).color("FF0000"))
                .align(AlignmentType::Center),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(text(&format!("〔{year}〕第{number}期"), "仿宋", SANHAO))
                .align(AlignmentType::Center),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(text(&format!("{office}    {}", chinese_date(bulletin.made_on)), "仿宋", SANHAO))
                .align(AlignmentType::Center),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(text(&format!("关于{year}年{number}月{subject}落实情况的通报"), "方正小标宋简体", ERHAO))
                .align(AlignmentType::Center),
        )
        .add_paragraph(body(&format!("现将截至{}{}落实情况通报如下。", chinese_date(bulletin.made_on), subject)));

    // 一、总体情况.
    let o = &bulletin.overall;
    let reports = if o.periods_judged > 0 { Some(o.periods_on_time as f64 / o.periods_judged as f64) } else { None };
    doc = doc.add_paragraph(heading("一、总体情况")).add_paragraph(body(&format!(
        "共有任务{}项，已办结{}项，按期完成率{}；逾期未完成{}项，逾期占比{}；应报进展{}期，按时报送{}期，按时报送率{}。",
        o.tasks,
        o.finished,
        percent(o.on_time_rate),
        o.overdue,
        percent(o.overdue_share),
        o.periods_judged,
        o.periods_on_time,
        percent(reports)
    )));

    // 二、本月办结任务.
    doc = doc.add_paragraph(heading("二、本月办结任务"));
    doc = if bulletin.completed.is_empty() {
        doc.add_paragraph(body("本月无办结任务。"))
    } else {
        let rows = bulletin
            .completed
            .iter()
            .map(|l| vec![l.seq.to_string(), l.title.clone(), l.lead.clone(), day(l), l.note.clone()])
            .collect();
        doc.add_table(table(&["序号", "工作任务", "牵头单位", "办结日期", "情况"], rows, &[2, 6, 4, 5, 3]))
    };

    // 三、逾期和红色预警任务（按牵头单位）.
    doc = doc.add_paragraph(heading("三、逾期和红色预警任务"));
    doc = if bulletin.red_by_lead.is_empty() {
        doc.add_paragraph(body("无逾期或红色预警任务。"))
    } else {
        let rows = bulletin
            .red_by_lead
            .iter()
            .flat_map(|(lead, lines)| {
                lines
                    .iter()
                    .map(move |l| vec![lead.clone(), l.seq.to_string(), l.title.clone(), day(l), l.note.clone()])
            })
            .collect();
        doc.add_table(table(&["牵头单位", "序号", "工作任务", "完成时限", "情况"], rows, &[4, 2, 6, 5, 3]))
    };

    // 四、未按时报送进展和逾期签收的单位.
    doc = doc.add_paragraph(heading("四、未按时报送进展和逾期签收的单位"));
    doc = if bulletin.owing.is_empty() {
        doc.add_paragraph(body("本月各单位均按时签收、报送。"))
    } else {
        let rows = bulletin
            .owing
            .iter()
            .map(|o| vec![o.unit.clone(), o.periods_missed.to_string(), o.signed_late.to_string()])
            .collect();
        doc.add_table(table(&["单位", "未报送期数", "逾期签收件数"], rows, &[4, 2, 2]))
    };

    // 五、考核排名.
    doc = doc.add_paragraph(heading("五、考核排名"));
    doc = match &bulletin.ranking {
        Some(ranking) => {
            let version = ranking.version.unwrap_or(1);
            let rows = ranking
                .units
                .iter()
                .map(|u| vec![u.rank.to_string(), u.unit.name.clone(), u.score.to_string()])
                .collect();
            doc.add_paragraph(body(&format!("根据本月考核结果（第{version}版）："))).add_table(table(
                &["名次", "单位", "得分"],
                rows,
                &[1, 4, 2],
            ))
        }
        None => doc.add_paragraph(body("本月考核结果尚未发布。")),
    };

    // 六、领导批示未反馈事项.
    doc = doc.add_paragraph(heading("六、领导批示未反馈事项"));
    doc = if bulletin.instructions.is_empty() {
        doc.add_paragraph(body("领导批示均已反馈。"))
    } else {
        let rows = bulletin
            .instructions
            .iter()
            .map(|l| vec![l.seq.to_string(), l.title.clone(), l.lead.clone(), day(l), l.note.clone()])
            .collect();
        doc.add_table(table(&["序号", "工作任务", "牵头单位", "批示日期", "批示内容"], rows, &[2, 4, 4, 5, 5]))
    };

    // 七、各单位进展报送及时率.
    doc = doc.add_paragraph(heading("七、各单位进展报送及时率"));
    doc = if bulletin.punctuality.is_empty() {
        doc.add_paragraph(body("本月无应报进展。"))
    } else {
        let rows = bulletin
            .punctuality
            .iter()
            .map(|p| vec![p.unit.clone(), p.judged.to_string(), p.on_time.to_string(), percent(p.rate())])
            .collect();
        let png = super::chart::draw(&bulletin.punctuality)?;
        let (w, h) = super::chart::size(bulletin.punctuality.len());
        // The text width, in EMU (635 a twip); the height in proportion.
        let emu_w = TEXT_WIDTH as u32 * 635;
        let emu_h = (u64::from(emu_w) * u64::from(h) / u64::from(w)) as u32;
        let picture = Pic::new_with_dimensions(png, w, h).size(emu_w, emu_h);
        doc.add_table(table(&["单位", "应报期数", "按时报送", "及时率"], rows, &[4, 2, 2, 2]))
            .add_paragraph(Paragraph::new().add_run(Run::new().add_image(picture)).align(AlignmentType::Center))
    };

    // The issuing office and date, at the foot on the right.
    doc = doc
        .add_paragraph(Paragraph::new().add_run(text(&office, "仿宋", SANHAO)).align(AlignmentType::Right))
        .add_paragraph(
            Paragraph::new().add_run(text(&chinese_date(bulletin.made_on), "仿宋", SANHAO)).align(AlignmentType::Right),
        );

    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("bulletin not written: {e}")))?;
    Ok(bytes.into_inner())
}
