//! Zip archives read within limits, so that a small file cannot unpack to gigabytes.
//!
//! Declared sizes are not trusted: every member is read through a bound on what it may unpack
//! to, given by what it takes packed (ratio) and by what the whole archive may unpack to (total).

use super::ReadError;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// What all members read from one archive may unpack to together.
pub(super) const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// How much larger than its packed size a member may unpack (XML packs 5–20 times).
pub(super) const MAX_RATIO: u64 = 100;
/// Small members pack badly or well by chance; they may always unpack to this much.
const SMALL_MEMBER: u64 = 1024 * 1024;
/// More members than any Office file has.
const MAX_MEMBERS: usize = 10_000;

/// An archive and what is left of its unpacking budget.
pub(super) struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
    total: u64,
    ratio: u64,
}

impl<'a> Archive<'a> {
    /// Opens an archive with the standard limits; too many members is refused.
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        Self::with_limits(bytes, MAX_UNPACKED_BYTES, MAX_RATIO)
    }

    /// Opens an archive that may unpack to `total` bytes, each member to `ratio` times its size.
    pub(super) fn with_limits(bytes: &'a [u8], total: u64, ratio: u64) -> Result<Self, ReadError> {
        let zip = ZipArchive::new(Cursor::new(bytes))?;
        if zip.len() > MAX_MEMBERS {
            return Err(ReadError::TooMuchData { reason: format!("more than {MAX_MEMBERS} parts") });
        }
        Ok(Archive { zip, budget: total, total, ratio })
    }

    /// The member called `name`, unpacked; `None` when there is none.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(index) = self.zip.index_for_name(name) else { return Ok(None) };
        self.read_index(index).map(Some)
    }

    /// Reads every member within the limits without keeping it: for readers (calamine) that
    /// open the archive themselves, the archive is proven harmless first.
    pub(super) fn check_all(&mut self) -> Result<(), ReadError> {
        for index in 0..self.zip.len() {
            self.read_index(index)?;
        }
        Ok(())
    }

    fn read_index(&mut self, index: usize) -> Result<Vec<u8>, ReadError> {
        if self.zip.by_index_raw(index)?.encrypted() {
            return Err(ReadError::PasswordProtected);
        }
        let file = self.zip.by_index(index)?;
        let by_ratio = file.compressed_size().saturating_mul(self.ratio).max(SMALL_MEMBER);
        let allowed = by_ratio.min(self.budget);
        let mut out = Vec::new();
        file.take(allowed.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| ReadError::Damaged(format!("cannot unpack a part: {e}")))?;
        let read = u64::try_from(out.len()).unwrap_or(u64::MAX);
        if read > allowed {
            let reason = if allowed == self.budget {
                format!("more than {} MB in all", self.total / 1024 / 1024)
            } else {
                format!("a part unpacks to more than {} times its packed size", self.ratio)
            };
            return Err(ReadError::TooMuchData { reason });
        }
        self.budget -= read;
        Ok(out)
    }
}
