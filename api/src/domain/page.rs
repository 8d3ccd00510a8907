//! Keyset pagination: a page is "the first N rows after this key", in a stable order.

use crate::error::{AppError, AppResult};

/// Page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// A validated page request; `K` is the ordering key of the listed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest<K> {
    pub first: u64,
    pub after: Option<K>,
}

impl<K> PageRequest<K> {
    /// Checks `first` (default 20, 0..=100).
    pub fn new(first: Option<i32>, after: Option<K>) -> AppResult<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (0..=MAX_PAGE_SIZE as i32).contains(&n) => n as u64,
            Some(_) => return Err(AppError::bad_input(format!("first must be between 0 and {MAX_PAGE_SIZE}"))),
        };
        Ok(PageRequest { first, after })
    }
}

/// One page of rows, and whether more follow.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from up to `first + 1` fetched rows.
    pub fn from_overfetch(mut rows: Vec<T>, first: u64) -> Self {
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Page { items: rows, has_next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_defaults_to_20_and_is_bounded() {
        assert_eq!(PageRequest::<i32>::new(None, None).unwrap().first, 20);
        assert_eq!(PageRequest::<i32>::new(Some(100), None).unwrap().first, 100);
        assert_eq!(PageRequest::<i32>::new(Some(101), None).unwrap_err().code(), "BAD_USER_INPUT");
        assert_eq!(PageRequest::<i32>::new(Some(-1), None).unwrap_err().code(), "BAD_USER_INPUT");
    }

    #[test]
    fn overfetch_sets_has_next() {
        let page = Page::from_overfetch(vec![1, 2, 3], 2);
        assert_eq!(page.items, vec![1, 2]);
        assert!(page.has_next);
        assert!(!Page::from_overfetch(vec![1], 2).has_next);
    }
}
