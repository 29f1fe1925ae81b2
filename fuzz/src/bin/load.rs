//! AFL++ target: a scenario file's bytes through the loader (see `rareflow_fuzz::load`).

fn main() {
    afl::fuzz!(|bytes: &[u8]| {
        rareflow_fuzz::load::load_file_bytes(bytes);
    });
}
