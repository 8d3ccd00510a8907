//! What a file's first bytes say it is, before any reader opens it.

use super::ReadError;
use std::io::Cursor;

/// A zip archive (local file header, or the end record of an empty archive).
const ZIP_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
/// An OLE compound file: old Office formats, and encrypted new ones.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A `.docx`/`.xlsx` must be a zip archive. An encrypted one is a compound file holding an
/// `EncryptionInfo` stream: that is a password, not a wrong format.
pub(super) fn expect_zip(bytes: &[u8], expected: &'static str) -> Result<(), ReadError> {
    if ZIP_MAGIC.iter().any(|m| bytes.starts_with(m)) {
        return Ok(());
    }
    if bytes.starts_with(OLE_MAGIC) && is_encrypted_package(bytes) {
        return Err(ReadError::PasswordProtected);
    }
    Err(ReadError::WrongContent { expected })
}

/// A `.xls` must be a compound file.
pub(super) fn expect_ole(bytes: &[u8], expected: &'static str) -> Result<(), ReadError> {
    if !bytes.starts_with(OLE_MAGIC) {
        return Err(ReadError::WrongContent { expected });
    }
    if is_encrypted_package(bytes) {
        return Err(ReadError::PasswordProtected);
    }
    Ok(())
}

/// Whether a compound file is an encrypted OOXML package (`EncryptionInfo` + `EncryptedPackage`).
fn is_encrypted_package(bytes: &[u8]) -> bool {
    cfb::CompoundFile::open(Cursor::new(bytes))
        .is_ok_and(|file| file.is_stream("/EncryptionInfo") || file.is_stream("/EncryptedPackage"))
}
