//! The `ttx` binary; everything is in the library (src/lib.rs).

#[global_allocator]
static ALLOCATOR: ttx::MiMalloc = ttx::MiMalloc;

fn main() -> std::process::ExitCode {
    ttx::main()
}
