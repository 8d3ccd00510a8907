//! File names as a reader's computer will save them: the last part of whatever path a client
//! sent, NFC, without control or reserved characters, at most 100 characters, and with an
//! extension that says what the content is.

use unicode_normalization::UnicodeNormalization;

const MAX_CHARS: usize = 100;

/// The name to keep for an upload named `sent` whose content is of type `extension`.
pub fn clean(sent: &str, extension: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .nfc()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'))
        .collect();
    let kept = kept.trim().trim_matches('.').trim();
    let (stem, sent_extension) = match kept.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, Some(ext)),
        _ => (kept, None),
    };
    let matches = sent_extension.is_some_and(|e| same_type(e, extension));
    let stem = if stem.is_empty() { "佐证材料" } else { stem };
    let base = if matches { kept.to_owned() } else { format!("{stem}.{extension}") };
    shorten(&base, extension)
}

/// Extensions that name the same type (`jpg` for `jpeg`, `tif` for `tiff`).
fn same_type(sent: &str, found: &str) -> bool {
    let sent = sent.to_ascii_lowercase();
    sent == found || matches!((sent.as_str(), found), ("jpeg" | "jpe", "jpg") | ("tif", "tiff") | ("heic", "heif"))
}

/// At most [`MAX_CHARS`] characters, keeping the extension.
fn shorten(name: &str, extension: &str) -> String {
    if name.chars().count() <= MAX_CHARS {
        return name.to_owned();
    }
    let keep = MAX_CHARS - extension.chars().count() - 1;
    let stem: String = name.chars().take(keep).collect();
    format!("{}.{extension}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn paths_and_reserved_characters_go() {
        assert_eq!(clean("C:\\Users\\科员\\桌面\\现场照片.jpg", "jpg"), "现场照片.jpg");
        assert_eq!(clean("../../etc/passwd.png", "png"), "passwd.png");
        assert_eq!(clean("会议\u{0}纪要<定稿>?.pdf", "pdf"), "会议纪要定稿.pdf");
        assert_eq!(clean("  ..  ", "pdf"), "佐证材料.pdf");
    }

    #[test]
    fn the_extension_follows_the_content() {
        assert_eq!(clean("照片.JPEG", "jpg"), "照片.JPEG");
        assert_eq!(clean("发票.exe", "pdf"), "发票.pdf", "a name never claims another type");
        assert_eq!(clean("纪要", "docx"), "纪要.docx");
        let long = format!("{}.pdf", "长".repeat(300));
        let cleaned = clean(&long, "pdf");
        assert_eq!(cleaned.chars().count(), 100);
        assert!(cleaned.ends_with(".pdf"));
    }
}
