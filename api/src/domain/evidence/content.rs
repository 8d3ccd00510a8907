//! What a file is, told by its content (magic numbers), never by its name: the types evidence
//! may be — pictures, PDF, Office and OpenDocument files, and archives when the office allows
//! them.

/// What kind of evidence a type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Picture,
    Pdf,
    Office,
    Archive,
}

/// A file's type, as found in its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub mime: &'static str,
    pub extension: &'static str,
    pub kind: Kind,
}

/// The accepted types by MIME type.
const ACCEPTED: &[(&str, Kind)] = &[
    ("image/jpeg", Kind::Picture),
    ("image/png", Kind::Picture),
    ("image/gif", Kind::Picture),
    ("image/webp", Kind::Picture),
    ("image/bmp", Kind::Picture),
    ("image/tiff", Kind::Picture),
    ("image/heif", Kind::Picture),
    ("application/pdf", Kind::Pdf),
    ("application/msword", Kind::Office),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Kind::Office),
    ("application/vnd.ms-excel", Kind::Office),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Kind::Office),
    ("application/vnd.ms-powerpoint", Kind::Office),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", Kind::Office),
    ("application/vnd.oasis.opendocument.text", Kind::Office),
    ("application/vnd.oasis.opendocument.spreadsheet", Kind::Office),
    ("application/vnd.oasis.opendocument.presentation", Kind::Office),
    ("application/zip", Kind::Archive),
    ("application/vnd.rar", Kind::Archive),
    ("application/x-7z-compressed", Kind::Archive),
    ("application/gzip", Kind::Archive),
    ("application/x-tar", Kind::Archive),
];

/// The accepted type of `bytes`, if it is one (archives only when `allow_archives`).
pub fn accepted(bytes: &[u8], allow_archives: bool) -> Option<Found> {
    let found = infer::get(bytes)?;
    let (mime, kind) = ACCEPTED.iter().copied().find(|(mime, _)| *mime == found.mime_type())?;
    if kind == Kind::Archive && !allow_archives {
        return None;
    }
    Some(Found { mime, extension: found.extension(), kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_not_the_name() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
        assert_eq!(accepted(png, false).map(|f| (f.mime, f.kind)), Some(("image/png", Kind::Picture)));
        assert_eq!(accepted(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", false).map(|f| f.kind), Some(Kind::Pdf));
        // A Windows program, a shell script and plain text are not evidence.
        assert_eq!(accepted(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", false), None);
        assert_eq!(accepted(b"#!/bin/sh\nrm -rf /\n", false), None);
        assert_eq!(accepted("会议纪要".as_bytes(), false), None);
    }

    #[test]
    fn archives_only_when_allowed() {
        let zip = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01\0\0\0a";
        assert_eq!(accepted(zip, false), None);
        assert_eq!(accepted(zip, true).map(|f| f.kind), Some(Kind::Archive));
    }
}
