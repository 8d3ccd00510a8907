//! Numbers as plans write them: ASCII digits or Chinese numerals, shared by every stage.

/// A number in ASCII or Chinese digits (`2015`, `二〇一五`, `十一`, `一百零五`); `None` when it is
/// not a number or does not fit a `u32`.
pub fn parse(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if !s.contains(['十', '百']) {
        // Read digit by digit: 二〇一五.
        return s.chars().try_fold(0u32, |acc, c| acc.checked_mul(10)?.checked_add(cn_digit(c)?));
    }
    let (mut total, mut digit) = (0u32, None::<u32>);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            _ => {
                digit = Some(cn_digit(c)?);
                continue;
            }
        };
        total = total.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
    }
    total.checked_add(digit.unwrap_or(0))
}

/// One Chinese digit.
fn cn_digit(c: char) -> Option<u32> {
    let digit = match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    };
    Some(digit)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn ascii_and_chinese_numerals() {
        for (text, n) in [
            ("2014", 2014),
            ("二〇一四", 2014),
            ("十一", 11),
            ("十三", 13),
            ("二十五", 25),
            ("一百零五", 105),
            ("六", 6),
        ] {
            assert_eq!(parse(text), Some(n), "{text}");
        }
        assert_eq!(parse("九九九九九九九九九九九"), None, "overflow is refused");
        assert_eq!(parse("十x"), None);
        assert_eq!(parse(""), None);
    }
}
