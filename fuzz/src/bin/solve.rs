//! AFL++ target: a random small scenario, decoded from the bytes, calibrated and solved
//! (see `rareflow_fuzz::solve`).

fn main() {
    afl::fuzz!(|bytes: &[u8]| {
        rareflow_fuzz::solve::solve_generated_scenario(bytes);
    });
}
