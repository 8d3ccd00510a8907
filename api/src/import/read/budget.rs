//! What one file may expand to once read, and the flag that stops a read nobody waits for.
//!
//! A packed file is bounded by the archive's limits ([`super::archive`]), but what its tables
//! stand for is not: a sheet may name a cell at its far corner, a Word cell merged down many
//! rows stands for its text once per row. Readers charge every cell and every byte of cell
//! text they are about to build, copies included, before they build it, so a file is refused
//! before it costs more than a plan ever needs.

use super::ReadError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cells the tables of one file may hold, all sheets and tables together, blank ones included
/// (the reference plan has about 150; a county's largest a few thousand).
pub const MAX_CELLS: usize = 1_000_000;
/// Cell text the tables of one file may hold, merged cells counted once per cell they fill.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// Set when whoever wanted the file stopped waiting (the request ended or timed out); a read
/// stops at its next charge or check. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Stops every read that holds this flag.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that cancels when it is dropped: held by the future that awaits the read, it
    /// stops the read when that future is dropped (a timeout, a client gone).
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Cancels its [`Cancel`] when dropped.
#[derive(Debug)]
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// What is left for one file: cells, text bytes, and whether to go on at all.
#[derive(Debug)]
pub(super) struct Budget {
    cells: usize,
    text: usize,
    cancel: Cancel,
}

impl Budget {
    /// The standard budget of one file.
    pub(super) fn new(cancel: &Cancel) -> Self {
        Budget::with_limits(MAX_CELLS, MAX_TEXT_BYTES, cancel)
    }

    pub(super) fn with_limits(cells: usize, text: usize, cancel: &Cancel) -> Self {
        Budget { cells, text, cancel: cancel.clone() }
    }

    /// Takes `count` cells, or refuses the file.
    pub(super) fn cells(&mut self, count: usize) -> Result<(), ReadError> {
        self.go_on()?;
        self.cells = self
            .cells
            .checked_sub(count)
            .ok_or_else(|| ReadError::TooMuchData { reason: format!("its tables hold more than {MAX_CELLS} cells") })?;
        Ok(())
    }

    /// Takes `bytes` of cell text, or refuses the file.
    pub(super) fn text(&mut self, bytes: usize) -> Result<(), ReadError> {
        self.go_on()?;
        self.text = self.text.checked_sub(bytes).ok_or_else(|| ReadError::TooMuchData {
            reason: format!("its tables hold more than {} MB of text", MAX_TEXT_BYTES / 1024 / 1024),
        })?;
        Ok(())
    }

    /// Stops the read when nobody waits for it any more.
    pub(super) fn go_on(&self) -> Result<(), ReadError> {
        if self.cancel.is_cancelled() { Err(ReadError::Abandoned) } else { Ok(()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_refuses_what_goes_beyond_it_and_keeps_what_fits() {
        let cancel = Cancel::default();
        let mut budget = Budget::with_limits(10, 100, &cancel);
        assert_eq!(budget.cells(10), Ok(()));
        assert_eq!(budget.cells(1).map_err(|e| e.code()), Err("FILE_TOO_MUCH_DATA"));
        assert_eq!(budget.text(60), Ok(()));
        assert_eq!(budget.text(41).map_err(|e| e.code()), Err("FILE_TOO_MUCH_DATA"));
        assert_eq!(budget.text(40), Ok(()));
    }

    #[test]
    fn a_read_stops_once_its_guard_is_dropped() {
        let cancel = Cancel::default();
        let mut budget = Budget::new(&cancel);
        let guard = cancel.on_drop();
        assert_eq!(budget.text(1), Ok(()));
        drop(guard);
        assert_eq!(budget.text(1), Err(ReadError::Abandoned));
        assert_eq!(budget.cells(1), Err(ReadError::Abandoned));
    }
}
