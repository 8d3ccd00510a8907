//! The `duban` binary: everything happens in [`duban::cli::main`].

/// malloc and free were the largest user-space cost in the profile of the unit dashboard
/// (BENCHMARKS.md); mimalloc serves the many short-lived allocations of a request faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    duban::cli::main()
}
