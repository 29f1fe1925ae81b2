#!/usr/bin/env bash
# Folds what the last `fuzz/run.sh TARGET SECONDS` found into the committed corpus:
# afl-cmin keeps the smallest set of the old corpus and the run's queue that covers every
# edge they cover, and fuzz/corpus/TARGET/ becomes that set (files from the queue named by
# their content's hash; none over 16 kB, to keep the corpus small and fuzzing fast).
set -euo pipefail
cd "$(dirname "$0")"

usage="usage: fuzz/minimise.sh load|solve"
target=${1:?$usage}
case "$target" in
  load | solve) ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
queue="target/afl/$target/default/queue"
if [[ ! -d $queue ]]; then
  echo "no run to fold in: run fuzz/run.sh $target SECONDS first" >&2
  exit 1
fi

all="target/cmin-input/$target"
kept="target/cmin-output/$target"
rm -rf "$all" "$kept"
mkdir -p "$all" "$(dirname "$kept")"
cp corpus/"$target"/* "$all"/ 2>/dev/null || true
for file in "$queue"/id:*; do
  cp "$file" "$all/$(sha1sum <"$file" | cut -c1-16)"
done
find "$all" -type f -size +16k -delete

export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
cargo afl cmin -i "$all" -o "$kept" -t 5000 -m 2048 -- "target/release/$target" >"$kept.log" 2>&1 || {
  tail -n 20 "$kept.log"
  exit 1
}
# The hand-made seeds (fuzz/seeds/) are kept where they are, not twice.
for seed in seeds/"$target"/*; do
  for file in "$kept"/*; do
    if cmp -s "$seed" "$file"; then rm "$file"; fi
  done
done
rm -rf corpus/"$target"
mkdir -p corpus/"$target"
cp "$kept"/* corpus/"$target"/
echo "fuzz/corpus/$target: $(ls corpus/"$target" | wc -l) files, $(du -sh corpus/"$target" | cut -f1)"
