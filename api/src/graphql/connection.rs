//! Relay connections: opaque cursors, page checks, and a lazily computed `totalCount`.

use crate::domain::page::{Page, PageRequest};
use crate::domain::{departments, documents, reports, tasks};
use crate::error::{AppError, AppResult, IntoGql};
use crate::graphql::context;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object, OutputType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes an ordering key as an opaque cursor.
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

fn decode_cursor(cursor: &str) -> AppResult<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| AppError::bad_input("invalid cursor"))
}

/// The complexity of a connection field: its children cost once per row the page may hold
/// (`first`, 20 when omitted), so a page of 100 inside a page of 100 counts as 10,000 rows.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(crate::domain::page::DEFAULT_PAGE_SIZE as i32).clamp(1, 100) as usize;
    1 + rows * child_complexity
}

/// Builds a page request over tasks from `first`/`after`.
pub fn task_page(first: Option<i32>, after: Option<String>) -> AppResult<PageRequest<tasks::TaskKey>> {
    let after = after
        .map(|c| {
            let key = decode_cursor(&c)?;
            let (doc, seq) = key.strip_prefix("t:").and_then(|k| k.split_once(':')).unwrap_or_default();
            match (doc.parse(), seq.parse()) {
                (Ok(d), Ok(s)) => Ok((d, s)),
                _ => Err(AppError::bad_input("invalid cursor")),
            }
        })
        .transpose()?;
    PageRequest::new(first, after)
}

/// The cursor of a task in an ordered list (`orderBy: WARNING` or `DUE_DATE`).
pub fn sort_cursor(key: &tasks::SortKey) -> String {
    format!("s:{}:{}:{}:{}", key.rank, key.due.format("%Y-%m-%d"), key.document_id, key.seq)
}

/// Builds a page request over an ordered task list from `first`/`after`.
pub fn sort_page(first: Option<i32>, after: Option<String>) -> AppResult<PageRequest<tasks::SortKey>> {
    let after = after
        .map(|c| {
            let key = decode_cursor(&c)?;
            parse_sort_key(&key).ok_or_else(|| AppError::bad_input("invalid cursor"))
        })
        .transpose()?;
    PageRequest::new(first, after)
}

fn parse_sort_key(key: &str) -> Option<tasks::SortKey> {
    let parts: Vec<&str> = key.strip_prefix("s:")?.split(':').collect();
    let [rank, due, doc, seq] = parts.as_slice() else { return None };
    Some(tasks::SortKey {
        rank: rank.parse().ok()?,
        due: chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").ok()?,
        document_id: doc.parse().ok()?,
        seq: seq.parse().ok()?,
    })
}

/// Builds a page request over rows ordered by id, with a `prefix` naming the list.
pub fn id_page(prefix: &str, first: Option<i32>, after: Option<String>) -> AppResult<PageRequest<i32>> {
    let after = after
        .map(|c| {
            decode_cursor(&c)?
                .strip_prefix(prefix)
                .and_then(|k| k.strip_prefix(':'))
                .and_then(|k| k.parse().ok())
                .ok_or_else(|| AppError::bad_input("invalid cursor"))
        })
        .transpose()?;
    PageRequest::new(first, after)
}

/// What `totalCount` counts; computed only when the client asks for it.
pub enum Total {
    Tasks { filter: tasks::TaskFilter },
    Departments { filter: departments::DepartmentFilter },
    Documents,
    Reports { task_id: i32 },
    Audit { filter: crate::domain::audit::log::LogFilter },
}

#[Object]
impl Total {
    /// Number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let (db, caller) = (context::reads(ctx), context::caller(ctx));
        match self {
            Total::Tasks { filter } => tasks::count(db, caller, filter).await,
            Total::Departments { filter } => departments::count(db, caller, filter).await,
            Total::Documents => documents::count(db, caller).await,
            Total::Reports { task_id } => reports::count_visible(db, caller, *task_id).await,
            Total::Audit { filter } => crate::domain::audit::log::count(db, caller, filter).await,
        }
        .gql()
    }
}

/// A connection of `N` with a `totalCount`.
pub type Conn<N> = Connection<String, N, Total>;

/// Turns a page into a connection; `cursor` names each row's position.
pub fn connection<T, N: OutputType>(
    page: Page<T>,
    total: Total,
    has_previous: bool,
    cursor: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
) -> Conn<N> {
    let mut conn = Connection::with_additional_fields(has_previous, page.has_next, total);
    conn.edges.extend(page.items.into_iter().map(|row| Edge::new(encode_cursor(&cursor(&row)), node(row))));
    conn
}
