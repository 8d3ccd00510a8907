//! Reading one cell of a row by position ([`Cell`]), and what a model holds in a field whose
//! column was not read ([`Placeholder`]).
//!
//! On PostgreSQL a cell is decoded without sqlx's check of its type against the Rust type (a
//! comparison of type descriptions, built and dropped for every cell: half the cost of reading
//! a dashboard's rows). The select lists written next to the readers fix each column's type.

use sea_orm::sqlx::{self, Postgres};
use sea_orm::{ActiveEnum, DbErr, QueryResult};

/// A value read from a row by its position.
pub trait Cell: Sized {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

/// The cell at `at` of a PostgreSQL row, unchecked; `None` for rows of other databases.
fn unchecked<T>(row: &QueryResult, at: usize) -> Option<Result<T, DbErr>>
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    use sqlx::Row as _;
    let pg = row.try_as_pg_row()?;
    Some(pg.try_get_unchecked::<T, _>(at).map_err(|error| DbErr::Type(format!("column {at}: {error}"))))
}

macro_rules! plain_cells {
    ($($ty:ty),+ $(,)?) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                unchecked(row, at).unwrap_or_else(|| row.try_get_by_index(at))
            }
        }

        impl Cell for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                unchecked(row, at).unwrap_or_else(|| row.try_get_by_index(at))
            }
        }

        impl Placeholder for $ty {
            fn placeholder() -> Self {
                Self::default()
            }
        }
    )+};
}

plain_cells!(i32, bool, String, chrono::NaiveDate, chrono::DateTime<chrono::Utc>);

macro_rules! enum_cells {
    ($($ty:ty),+ $(,)?) => {$(
        impl Cell for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                <$ty as ActiveEnum>::try_from_value(&String::read(row, at)?)
            }
        }

        impl Cell for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                Option::<String>::read(row, at)?.map(|text| <$ty as ActiveEnum>::try_from_value(&text)).transpose()
            }
        }

        impl Placeholder for $ty {
            fn placeholder() -> Self {
                <$ty as sea_orm::Iterable>::iter().next().expect("an enum with a variant")
            }
        }
    )+};
}

enum_cells!(
    entity::AssignmentRole,
    entity::AssignmentState,
    entity::DepartmentKind,
    entity::ScheduleKind,
    entity::ScheduleSource,
    entity::TaskStatus,
);

/// The value a model holds in a field whose column a statement did not read. Never shown: a
/// reader is given the columns its caller's fields read (see `graphql::fetch`).
pub trait Placeholder {
    fn placeholder() -> Self;
}

impl<T> Placeholder for Option<T> {
    fn placeholder() -> Self {
        None
    }
}
