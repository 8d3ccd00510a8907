//! Notice metadata: document number, issuing office, issue date and the plan's title.
//!
//! Works on cleaned text (see [`super::clean::clean`]) and never relies on line breaks alone,
//! because some users paste the whole notice as one line.

use super::schedule::PlanDates;
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// What the notice says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Document number in canonical form, e.g. `盘县政办发〔2014〕103号`.
    pub doc_number: Option<String>,
    /// Issuing office, e.g. `盘山县人民政府办公室`.
    pub issuer: Option<String>,
    /// Issue date, e.g. 2014-11-13.
    pub issued_on: Option<NaiveDate>,
    /// The plan's title, or the notice's title when the plan has none of its own.
    pub title: String,
}

impl Notice {
    /// What the plan's schedules are counted from: the issue date, and the plan's year (the
    /// date's, else the document number's `〔2019〕`, else a year opening the title, `2022年…要点`).
    pub fn plan_dates(&self) -> PlanDates {
        let from_number = || {
            let number = self.doc_number.as_deref()?;
            let year = number.split_once('〔')?.1.get(..4)?;
            year.parse().ok()
        };
        let from_title = || TITLE_YEAR.captures(&self.title)?.get(1)?.as_str().parse().ok();
        let year = self.issued_on.map(|d| d.year()).or_else(from_number).or_else(from_title);
        PlanDates { issued_on: self.issued_on, year }
    }
}

/// A year opening a title: `2022年政府工作报告重点任务分工方案`, `某县2022年工作要点`.
static TITLE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}{0,12}?((?:19|20)\d{2})\s*年").expect("title year pattern is valid"));

/// `盘县政办发〔2014〕103号`, with `〔〕`, `[]`, `()` or `【】` around the year.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{1,12})\s*[〔\[(【]\s*((?:19|20)\d{2})\s*[〕\])】]\s*(\d{1,5})\s*号")
        .expect("doc number pattern is valid")
});

/// `2014年11月13日` or `二〇一四年十一月十三日`.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[十一二三四五六七八九]{1,3})\s*月\s*(\d{1,2}|[十一二三四五六七八九]{1,3})\s*日")
        .expect("date pattern is valid")
});

/// An office name at the end of some text: `…盘山县人民政府办公室`.
static ISSUER_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han}{2,30}?(?:办公室|办公厅|人民政府|委员会|政府|局|委|厅|办))$").expect("issuer pattern is valid")
});

/// A plan title: up to 80 characters ending with `方案`, `分解表`, `分工表` or `清单`.
static PLAN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\n。:;|]{2,80}?(?:方案|分解表|分工表|清单)").expect("title pattern is valid"));

/// From cleaned text: doc number like `盘县政办发〔2014〕103号` (also `[2014]`, `〔2014〕`, `(2014)` brackets),
/// the issuing office (the line before the date near the top, e.g. `盘山县人民政府办公室`), the issue date
/// (`2014年11月13日`), and the plan's title (e.g. `关于贯彻落实《社会救助暂行办法》重点任务分工方案`; fall back to
/// the notice title). Must cope with the whole notice on one line.
pub fn parse_notice(cleaned: &str) -> Notice {
    let date = find_issue_date(cleaned);
    let issuer = date.as_ref().and_then(|d| issuer_before(&cleaned[..d.start]));
    let after_date = date.as_ref().map_or(0, |d| d.end);
    let title = plan_title(&cleaned[after_date..])
        .or_else(|| notice_title(cleaned))
        .or_else(|| first_line_title(cleaned))
        .unwrap_or_default();
    Notice { doc_number: doc_number(cleaned), issuer, issued_on: date.map(|d| d.date), title }
}

/// First doc number; the prefix is cut after a preceding `通知` when the notice is one line.
fn doc_number(text: &str) -> Option<String> {
    let caps = DOC_NUMBER.captures(text)?;
    let prefix = caps.get(1)?.as_str();
    let prefix = prefix.rsplit("通知").next().unwrap_or(prefix);
    Some(format!("{prefix}〔{}〕{}号", caps.get(2)?.as_str(), caps.get(3)?.as_str()))
}

/// A date and where it sits in the text.
struct DateHit {
    date: NaiveDate,
    start: usize,
    end: usize,
}

/// The issue date: the first date standing on its own line, else the first date right after an
/// office name (one-line notices), else none.
fn find_issue_date(text: &str) -> Option<DateHit> {
    let hits: Vec<DateHit> = DATE
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let date = NaiveDate::from_ymd_opt(
                number(caps.get(1)?.as_str())?,
                u32::try_from(number(caps.get(2)?.as_str())?).ok()?,
                u32::try_from(number(caps.get(3)?.as_str())?).ok()?,
            )?;
            Some(DateHit { date, start: whole.start(), end: whole.end() })
        })
        .collect();
    let own_line = hits.iter().position(|h| {
        let before = text[..h.start].rsplit('\n').next().unwrap_or("");
        let after = text[h.end..].split('\n').next().unwrap_or("");
        before.trim().is_empty() && after.trim().is_empty()
    });
    let after_office = || hits.iter().position(|h| ISSUER_TAIL.is_match(text[..h.start].trim_end()));
    let index = own_line.or_else(after_office)?;
    hits.into_iter().nth(index)
}

/// The office name right before the date: the previous line, or the tail of the text after the
/// last punctuation mark when everything is on one line.
fn issuer_before(text: &str) -> Option<String> {
    let text = text.trim_end();
    let line = text.rsplit('\n').next().unwrap_or(text).trim();
    let tail = line.rsplit(['。', ':', ';', ',', ')', '》', ' ', '|', '、']).next().unwrap_or(line);
    let caps = ISSUER_TAIL.captures(tail)?;
    Some(caps.get(1)?.as_str().to_string())
}

/// The plan's own title after the date: a line (or run) ending with `方案` or similar that is
/// not quoted inside `《》` and is not the notice title.
fn plan_title(text: &str) -> Option<String> {
    PLAN_TITLE
        .find_iter(text)
        .map(|m| m.as_str().trim())
        .find(|t| !t.ends_with('》') && !t.contains("通知") && !t.starts_with("序号"))
        .map(|t| without_stray_number(t).to_string())
        .filter(|t| !t.is_empty())
}

/// A title without a stray number or `日` in front (the tail of a date or a page number), but
/// with its own leading year: `2027年重点工作任务分工方案` keeps `2027年`.
fn without_stray_number(title: &str) -> &str {
    let rest = title.trim_start_matches(|c: char| c.is_ascii_digit() || c == '日');
    let number = &title[..title.len() - rest.len()];
    let year_digits = number.bytes().rev().take_while(u8::is_ascii_digit).count();
    if rest.starts_with('年') && year_digits == 4 {
        return &title[number.len() - 4..];
    }
    rest
}

/// The notice title: text ending in `通知`, without the doc number in front of it.
fn notice_title(text: &str) -> Option<String> {
    let end = text.find("通知")? + "通知".len();
    let head = &text[..end];
    let start = DOC_NUMBER.find_iter(head).last().map_or_else(|| head.rfind('\n').map_or(0, |i| i + 1), |m| m.end());
    let title = head[start..].trim();
    if let Some(inner) = title.split_once("印发《").and_then(|(_, r)| r.split_once('》')) {
        return Some(inner.0.to_string());
    }
    Some(title.to_string())
}

/// Last resort: a short first line that is not a numbered item.
fn first_line_title(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let numbered =
        line.starts_with(|c: char| c.is_ascii_digit() || c == '(') || line.chars().take(4).any(|c| c == '、');
    (!numbered && line.chars().count() <= 60 && !line.contains('|')).then(|| line.to_string())
}

/// Parses arabic digits or Chinese numerals (`二〇一四`, `十一`, `十三`).
pub fn number(text: &str) -> Option<i32> {
    super::numerals::parse(text).and_then(|n| i32::try_from(n).ok())
}

/// A Chinese numeral of up to eight characters (`十一`, `一百零五`).
pub fn chinese_number(text: &str) -> Option<i32> {
    if text.is_empty() || text.chars().count() > 8 {
        return None;
    }
    number(text)
}

#[cfg(test)]
mod tests {
    use super::super::clean::clean;
    use super::*;
    use proptest::prelude::*;

    const REFERENCE: &str = include_str!("../../../data/panshan-2014-103.txt");

    fn reference_notice() -> Notice {
        Notice {
            doc_number: Some("盘县政办发〔2014〕103号".into()),
            issuer: Some("盘山县人民政府办公室".into()),
            issued_on: NaiveDate::from_ymd_opt(2014, 11, 13),
            title: "关于贯彻落实《社会救助暂行办法》重点任务分工方案".into(),
        }
    }

    #[test]
    fn reads_the_reference_notice() {
        assert_eq!(parse_notice(&clean(REFERENCE)), reference_notice());
    }

    #[test]
    fn reads_the_reference_notice_on_one_line() {
        let one_line = clean(REFERENCE).replace('\n', " ");
        assert_eq!(parse_notice(&one_line), reference_notice());
    }

    #[test]
    fn accepts_other_brackets_and_chinese_dates() {
        let text = "某县政办发[2019]7号\n关于印发《某县重点任务清单》的通知\n某县人民政府办公室\n二〇一九年三月五日";
        let notice = parse_notice(&clean(text));
        assert_eq!(notice.doc_number.as_deref(), Some("某县政办发〔2019〕7号"));
        assert_eq!(notice.issued_on, NaiveDate::from_ymd_opt(2019, 3, 5));
        assert_eq!(notice.issuer.as_deref(), Some("某县人民政府办公室"));
        assert_eq!(notice.title, "某县重点任务清单");
        let paren = parse_notice("某市政发(2020)12号");
        assert_eq!(paren.doc_number.as_deref(), Some("某市政发〔2020〕12号"));
    }

    #[test]
    fn a_title_starting_with_its_year_keeps_it() {
        let text = "某县人民政府办公室关于印发2027年重点工作任务分工方案的通知\n某县府办发〔2027〕3号\n\
                    某县人民政府办公室\n2027年2月15日\n2027年重点工作任务分工方案\n1.推进项目建设";
        assert_eq!(parse_notice(&clean(text)).title, "2027年重点工作任务分工方案");
        assert_eq!(parse_notice(&clean(&text.replace('\n', " "))).title, "2027年重点工作任务分工方案");
        let no_date = "2027年重点工作任务分工方案\n序号 工作任务 责任单位";
        assert_eq!(parse_notice(&clean(no_date)).title, "2027年重点工作任务分工方案");
    }

    #[test]
    fn the_plans_year_comes_from_its_date_number_or_title() {
        let dated = parse_notice(&clean("某县政办发〔2019〕8号\n某县人民政府办公室\n2020年1月6日"));
        assert_eq!(dated.plan_dates().year, Some(2020));
        let numbered = parse_notice(&clean("某县政办发〔2019〕8号\n关于印发某县重点任务分工方案的通知"));
        assert_eq!(numbered.plan_dates(), PlanDates { issued_on: None, year: Some(2019) });
        let titled = parse_notice(&clean("某市2022年政务公开工作要点任务分工方案\n1.推进政务公开"));
        assert_eq!(titled.plan_dates().year, Some(2022));
        assert_eq!(parse_notice("任务分工方案").plan_dates().year, None);
    }

    #[test]
    fn numbers() {
        assert_eq!(number("二〇一四"), Some(2014));
        assert_eq!(number("十一"), Some(11));
        assert_eq!(number("二十三"), Some(23));
        assert_eq!(number("一百零五"), Some(105));
        assert_eq!(number("abc"), None);
    }

    proptest! {
        #[test]
        fn parse_notice_never_panics(s in "\\PC*") {
            let _ = parse_notice(&s);
        }

        #[test]
        fn parse_notice_survives_mutated_reference(cut in 0usize..6000, insert in "\\PC{0,8}") {
            let text = clean(REFERENCE);
            let mut at = cut.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mutated = format!("{}{}{}", &text[..at], insert, &text[at..]);
            let _ = parse_notice(&mutated);
        }
    }
}
