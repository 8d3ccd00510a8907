//! Arbitrary bytes through the importer's pure stages: the file readers (`read::parse_file` as
//! .txt, .docx, .xlsx and .xls, so malformed archives, XML and compound files are covered), the
//! whole `parse_text` pipeline on the bytes as lossy UTF-8, then each stage on its own, on the
//! raw and on the cleaned text. Any panic, hang or overflow is a finding; results are ignored.

#![no_main]

use chrono::NaiveDate;
use duban::import::parse::clean::clean;
use duban::import::parse::notice::parse_notice;
use duban::import::parse::rows::{UnitSpec, parse_rows};
use duban::import::parse::schedule::parse_schedule;
use duban::import::parse::units::split_units;
use duban::import::pipeline::parse_text;
use duban::import::read::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    // The reference plan's issue date, so relative schedules (年内, 3个月内) get computed.
    let plan_date = NaiveDate::from_ymd_opt(2014, 11, 13);

    for name in ["plan.txt", "plan.docx", "plan.xlsx", "plan.xls"] {
        if let Ok(plan) = parse_file(name, data) {
            for row in &plan.rows {
                let _ = parse_schedule(&row.schedule, plan.notice.issued_on);
            }
        }
    }

    if let Ok(plan) = parse_text(&raw) {
        for row in &plan.rows {
            let _ = parse_schedule(&row.schedule, plan.notice.issued_on);
            let _ = parse_schedule(&row.schedule, plan_date);
        }
    }

    let cleaned = clean(&raw);
    for text in [raw.as_ref(), cleaned.as_str()] {
        let _ = parse_notice(text);
        let rows = parse_rows(text);
        let _ = split_units(text);
        let _ = parse_schedule(text, plan_date);
        let _ = parse_schedule(text, None);
        for row in &rows.tasks {
            let _ = parse_schedule(&row.schedule, plan_date);
            let names = match &row.units {
                UnitSpec::Listed(names) => names.clone(),
                UnitSpec::Explicit { leads, supporting } => leads.iter().chain(supporting).cloned().collect(),
            };
            for name in &names {
                let _ = split_units(name);
            }
        }
    }
});
