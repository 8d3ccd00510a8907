//! Text files: UTF-8 (a byte-order mark allowed), else GB18030, which covers GBK and GB2312.

use super::ReadError;

/// The file's text.
pub(super) fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors { Err(ReadError::UnknownEncoding) } else { Ok(text.into_owned()) }
}
