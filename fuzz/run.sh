#!/usr/bin/env bash
# Fuzzes one target with AFL++ (through cargo-afl, on the stable toolchain) for a while:
#
#   fuzz/run.sh load 60      # the loader: file bytes -> load -> validate -> save -> reload
#   fuzz/run.sh solve 600    # random small scenarios -> calibrate -> solve -> honest status
#   FUZZ_RESUME=1 fuzz/run.sh load 600   # go on from the last run (its queue and counts)
#
# It builds the instrumented target, seeds AFL++ with the hand-made seeds (fuzz/seeds/;
# for `load`, bad files of each kind and a trimmed baseline: the full 320 kB scenarios take
# ~50 ms a run and would slow AFL++ to a crawl), the minimised corpus of earlier runs
# (fuzz/corpus/) and the reproducers of fixed crashes (fuzz/regressions/), fuzzes for SECONDS, prints the numbers from AFL++'s fuzzer_stats, and exits 1
# if a crash or a hang was found (the inputs are in fuzz/target/afl/TARGET/default/crashes
# and hangs). `fuzz/minimise.sh TARGET` afterwards folds what the run found into the corpus.
# Needs cargo-afl: `cargo install cargo-afl --locked` (it builds its own AFL++).
set -euo pipefail
cd "$(dirname "$0")"

usage="usage: fuzz/run.sh load|solve SECONDS"
target=${1:?$usage}
seconds=${2:?$usage}
case "$target" in
  load | solve) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac

cargo afl build --release --quiet --bin "$target"

input="target/afl-input/$target"
output="target/afl/$target"
if [[ ${FUZZ_RESUME:-} == 1 && -d $output/default/queue ]]; then
  # Go on from the last run's queue and counts (a long campaign in several sittings).
  input=-
else
  rm -rf "$input" "$output"
  mkdir -p "$input" "$(dirname "$output")"
  for dir in seeds corpus regressions; do
    for file in "$dir/$target"/*; do
      if [[ -f $file ]]; then cp "$file" "$input/$dir-$(basename "$file")"; fi
    done
  done
fi

# No status screen; CPU frequency, core pinning and the machine's core-dump handler are
# left as they are (CI machines and shared desktops).
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# A run over 5 s is a hang (a solve takes milliseconds, a 320 kB scenario ~50 ms to load);
# more than 2 GiB of memory is a crash: nothing here may grow without bound.
options=(-t "${FUZZ_TIMEOUT_MS:-5000}" -m 2048 -V "$seconds")
if [[ $target == load ]]; then
  options+=(-x ron.dict)
fi
cargo afl fuzz -i "$input" -o "$output" "${options[@]}" -- "target/release/$target" >"$output.log" 2>&1 || {
  tail -n 30 "$output.log"
  echo "afl-fuzz failed (its log: fuzz/$output.log)"
  exit 1
}

stats="$output/default/fuzzer_stats"
stat() { sed -n "s/^$1 *: *//p" "$stats"; }
echo "fuzz $target: $(stat execs_done) executions in $(stat run_time) s ($(stat execs_per_sec)/s)," \
  "corpus $(stat corpus_count), coverage $(stat bitmap_cvg), stability $(stat stability)," \
  "crashes $(stat saved_crashes), hangs $(stat saved_hangs)"
if [[ $(stat saved_crashes) != 0 || $(stat saved_hangs) != 0 ]]; then
  ls "$output"/default/crashes "$output"/default/hangs
  echo "fuzz $target found crashes or hangs: reproduce one with" \
    "\`fuzz/target/release/$target < FILE\` (see README.md, Fuzzing)"
  exit 1
fi
