//! Prints the scenario the `solve` target decodes from an input, as a scenario file, to
//! see what a crash or a corpus entry is: `fuzz/target/release/show_scenario < FILE`.

use std::io::Read as _;

fn main() {
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("cannot read the input: {error}");
        std::process::exit(1);
    }
    let scenario = rareflow_fuzz::scenario_gen::scenario_from_bytes(&bytes);
    match rareflow::io::to_ron_string(&scenario) {
        Ok(text) => print!("{text}"),
        Err(error) => {
            eprintln!("cannot write the scenario: {error}");
            std::process::exit(1);
        }
    }
}
