//! Why a file was refused. Every variant is the uploader's to fix, so all map to
//! `BAD_USER_INPUT`; [`ReadError::code`] tells them apart for clients and logs.

use crate::error::AppError;

/// A file the importer will not read, with a message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Larger than [`super::MAX_FILE_BYTES`].
    #[error("the file is larger than {limit_mb} MB")]
    TooLarge {
        /// The limit in megabytes.
        limit_mb: usize,
    },
    /// An extension the importer does not take.
    #[error("files of type {extension:?} cannot be imported; use .txt, .docx, .xlsx or .xls")]
    UnsupportedType {
        /// The extension as given (lower case, without the dot; empty when there is none).
        extension: String,
    },
    /// An old binary Word or WPS document.
    #[error("old .doc and .wps files cannot be read; save the file as .docx and upload it again")]
    OldWordFormat,
    /// The bytes are not what the name says (`.docx` that is no zip archive, `.xls` that is no
    /// compound file).
    #[error("the file is not a valid {expected} file; save it again as {expected} and upload it")]
    WrongContent {
        /// The format the name promised, e.g. `.docx`.
        expected: &'static str,
    },
    /// An encrypted Office file.
    #[error("the file is password-protected; save it without a password and upload it again")]
    PasswordProtected,
    /// The archive unpacks to more than the importer accepts, or compresses suspiciously well.
    #[error("the file unpacks to too much data ({reason}); it cannot be imported")]
    TooMuchData {
        /// Which limit was hit.
        reason: String,
    },
    /// The archive or its XML is damaged.
    #[error("the file is damaged and cannot be read: {0}")]
    Damaged(String),
    /// A text file in an encoding that is neither UTF-8 nor GB18030/GBK.
    #[error("the text file is neither UTF-8 nor GB18030/GBK; save it as UTF-8 and upload it again")]
    UnknownEncoding,
    /// The file was read, but no task rows were found (or they are not usable).
    #[error("{0}")]
    NoTasks(String),
    /// Whoever wanted the file stopped waiting (the request ended), so the read stopped.
    #[error("the request ended before the file was read")]
    Abandoned,
}

impl ReadError {
    /// A stable machine-readable code, e.g. `FILE_TOO_LARGE`.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "FILE_TOO_LARGE",
            ReadError::UnsupportedType { .. } => "FILE_TYPE_UNSUPPORTED",
            ReadError::OldWordFormat => "FILE_OLD_WORD_FORMAT",
            ReadError::WrongContent { .. } => "FILE_WRONG_CONTENT",
            ReadError::PasswordProtected => "FILE_PASSWORD_PROTECTED",
            ReadError::TooMuchData { .. } => "FILE_TOO_MUCH_DATA",
            ReadError::Damaged(_) => "FILE_DAMAGED",
            ReadError::UnknownEncoding => "FILE_UNKNOWN_ENCODING",
            ReadError::NoTasks(_) => "NO_TASKS",
            ReadError::Abandoned => "FILE_READ_ABANDONED",
        }
    }
}

/// Every refusal is bad input: the message says what to change.
impl From<ReadError> for AppError {
    fn from(error: ReadError) -> Self {
        AppError::BadInput(error.to_string())
    }
}

impl From<zip::result::ZipError> for ReadError {
    fn from(error: zip::result::ZipError) -> Self {
        match error {
            zip::result::ZipError::UnsupportedArchive(reason)
                if reason.contains("ncrypt") || reason.contains("assword") =>
            {
                ReadError::PasswordProtected
            }
            other => ReadError::Damaged(other.to_string()),
        }
    }
}

impl From<quick_xml::Error> for ReadError {
    fn from(error: quick_xml::Error) -> Self {
        ReadError::Damaged(format!("XML: {error}"))
    }
}
