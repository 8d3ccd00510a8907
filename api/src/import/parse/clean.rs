//! First stage: turn pasted text into something the later stages can read.
//!
//! Pasted plans come from county websites: Traditional script produced by a web converter that
//! leaves pinyin behind (`發(fā)`), Windows line endings, non-breaking spaces, and a mix of
//! full- and half-width punctuation. [`clean`] removes all of that while keeping the line
//! structure, so line numbers in the cleaned text match the pasted text.

use regex::Regex;
use std::sync::LazyLock;
use zhconv::{Variant, zhconv};

/// A Han character followed by a bracketed pinyin syllable that carries a tone mark.
///
/// Requiring a tone mark keeps real parentheticals such as `(新农合)` or `(app)` intact.
static PINYIN_ARTIFACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{Han})[(（]([a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5})[)）]")
        .expect("pinyin artifact pattern is valid")
});

/// Removes the web converter's pinyin artifacts: a single CJK char followed by a parenthesised
/// pinyin syllable with tone marks, e.g. `發(fā)` → `發`, `鎮(zhèn)` → `鎮`. Real parentheticals stay:
/// `醫保(新農合)`, `(縣政府部門中列在首位的為牽頭部門,…)`, `各县(市、区)政府`.
pub fn strip_pinyin_artifacts(text: &str) -> String {
    PINYIN_ARTIFACT.replace_all(text, "$1").into_owned()
}

/// Traditional → Simplified with the `zhconv` crate (OpenCC + MediaWiki tables), never a hand table.
///
/// Uses the script-only `zh-Hans` target, so regional vocabulary is left alone.
pub fn to_simplified(text: &str) -> String {
    zhconv(text, Variant::ZhHans)
}

/// Everything a later stage needs: CRLF → LF, odd spaces (NBSP, U+3000) normalised, pinyin stripped,
/// simplified script, full-width ASCII punctuation folded to half-width where that helps parsing
/// ( （）→(), ，→, ：→: ；→; ) but `、`, `〔〕`, `《》`, `“”` kept.
///
/// The number of lines never changes; trailing spaces on each line are trimmed.
pub fn clean(raw: &str) -> String {
    let text = normalize_whitespace(raw);
    let text = strip_pinyin_artifacts(&text);
    let text = to_simplified(&text);
    let text = fold_width(&text);
    text.split('\n').map(str::trim_end).collect::<Vec<_>>().join("\n")
}

/// Line endings to `\n`, exotic spaces to ASCII space, zero-width characters and BOM removed.
pub fn normalize_whitespace(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
            '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => Some(' '),
            '\u{3000}' => Some(' '),
            '\u{000B}' | '\u{000C}' => Some('\n'),
            other => Some(other),
        })
        .collect()
}

/// Folds the full-width forms that matter for parsing to their ASCII counterparts.
///
/// Brackets, comma, colon, semicolon, full stop used in numbering (`1．`), pipe, digits and
/// Latin letters are folded; `、`, `。`, `〔〕`, `《》`, `“”` and the other CJK punctuation stay.
pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '，' => ',',
        '：' => ':',
        '；' => ';',
        '．' => '.',
        '｜' => '|',
        '［' => '[',
        '］' => ']',
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pinyin_artifacts_are_removed() {
        assert_eq!(strip_pinyin_artifacts("發(fā)展"), "發展");
        assert_eq!(strip_pinyin_artifacts("各鎮(zhèn)人民"), "各鎮人民");
        assert_eq!(strip_pinyin_artifacts("縣(區(qū))各級"), "縣(區)各級");
        assert_eq!(strip_pinyin_artifacts("協(xié)調"), "協調");
    }

    #[test]
    fn real_parentheticals_stay() {
        for kept in [
            "醫保(新農合)",
            "各县(市、区)政府",
            "(縣政府部門中列在首位的為牽頭部門,有關部門按職責分工負責,下同)",
            "系统(app)",
        ] {
            assert_eq!(strip_pinyin_artifacts(kept), kept);
        }
    }

    #[test]
    fn simplifies_with_zhconv() {
        assert_eq!(to_simplified("縣民政局"), "县民政局");
        assert_eq!(to_simplified("農業銀行盤山縣支行"), "农业银行盘山县支行");
    }

    #[test]
    fn clean_folds_punctuation_and_keeps_cjk_marks() {
        let cleaned = clean("（牵头单位：县民政局；配合单位：县财政局、县统计局）\r\n〔2014〕《办法》“一站式”");
        assert_eq!(cleaned, "(牵头单位:县民政局;配合单位:县财政局、县统计局)\n〔2014〕《办法》“一站式”");
    }

    #[test]
    fn clean_normalises_odd_spaces_and_keeps_lines() {
        let cleaned = clean("序号\u{3000}工作任务\u{00A0}\r\n\u{FEFF}1 |\r\n\r\nend");
        assert_eq!(cleaned, "序号 工作任务\n1 |\n\nend");
    }

    #[test]
    fn reference_plan_is_clean() {
        let raw = include_str!("../../../data/panshan-2014-103.txt");
        let cleaned = clean(raw);
        assert_eq!(cleaned.lines().count(), raw.lines().count());
        assert!(!PINYIN_ARTIFACT.is_match(&cleaned));
        assert!(!cleaned.contains("(fā)"));
        assert!(cleaned.contains("医保(新农合)"));
        assert!(cleaned.contains("盘县政办发〔2014〕103号"));
        assert!(cleaned.contains("人民银行盘山分行"));
    }

    proptest! {
        #[test]
        fn clean_never_panics(s in "\\PC*") {
            let _ = clean(&s);
        }

        #[test]
        fn clean_is_stable_on_cleaned_text(s in "[a-z()（）發縣āè 、,，\\n\\r]{0,40}") {
            let once = clean(&s);
            prop_assert_eq!(clean(&once).lines().count(), once.lines().count());
        }
    }
}
