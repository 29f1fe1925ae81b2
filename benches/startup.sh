#!/usr/bin/env bash
# First frame and memory of the app, measured as a person would see them (issue 13).
#
#   bash benches/startup.sh [BINARY] [RUNS] [-- APP ARGS...]
#
# For each run: starts the app under its own Xvfb display and takes the time from launch
# until its window is visible (eframe keeps the window hidden until the first frame has been
# painted, so "visible" is "first frame on screen"), then lets it settle for 10 s (the solve
# of the whole horizon and reference included) and reads its resident memory (VmRSS) and its
# peak (VmHWM) from /proc. Prints each run and the medians. Needs Xvfb and xdotool.
# BINARY defaults to target/release/rareflow (build it with `cargo build --release`).
# POINTER_AT="X Y" moves the pointer there once the window shows (e.g. "460 400": Canada,
# so the Rest of world is hovered and outlined); without it the pointer rests at the
# screen's centre from before the launch and hovers nothing.
set -euo pipefail
BIN=${1:-target/release/rareflow}
RUNS=${2:-5}
shift $(( $# < 2 ? $# : 2 ))
[[ ${1:-} == -- ]] && shift
DISPLAY_NUMBER=${STARTUP_DISPLAY:-71}
Xvfb ":$DISPLAY_NUMBER" -screen 0 1600x1000x24 -noreset >/dev/null 2>&1 &
XVFB_PID=$!
trap 'kill $XVFB_PID 2>/dev/null; wait $XVFB_PID 2>/dev/null' EXIT
sleep 1
export DISPLAY=":$DISPLAY_NUMBER" XDG_RUNTIME_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
now_ms() { date +%s%3N; }
first_frames=() rss=() peaks=()
for run in $(seq 1 "$RUNS"); do
  # A fresh preferences folder each run: no restored window state, no recovery offer.
  HOME_DIR=$(mktemp -d)
  xdotool mousemove 800 500
  started=$(now_ms)
  HOME=$HOME_DIR XDG_DATA_HOME=$HOME_DIR XDG_CONFIG_HOME=$HOME_DIR "$BIN" "$@" >"$HOME_DIR/app.log" 2>&1 &
  app=$!
  shown=""
  for _ in $(seq 1 1000); do
    if xdotool search --onlyvisible --name '^rareflow' >/dev/null 2>&1; then
      shown=$(now_ms)
      break
    fi
    sleep 0.005
  done
  if [[ -z $shown ]]; then
    echo "run $run: no window within 10 s; the app said:" >&2
    tail -5 "$HOME_DIR/app.log" >&2
    kill $app 2>/dev/null
    exit 1
  fi
  # Then the pointer moves onto POINTER_AT as a hand would (a few synchronous steps: a
  # pointer that is only warped there, or was there before the window opened, hovers
  # nothing).
  if [[ -n ${POINTER_AT:-} ]]; then
    read -r px py <<<"$POINTER_AT"
    for step in 30 20 10 0; do
      xdotool mousemove --sync $((px - step)) "$py"
      sleep 0.2
    done
  fi
  sleep 10
  vm_rss=$(awk '/VmRSS/ {print $2}' "/proc/$app/status")
  vm_hwm=$(awk '/VmHWM/ {print $2}' "/proc/$app/status")
  kill $app; wait $app 2>/dev/null || true
  rm -rf "$HOME_DIR"
  first_frames+=($((shown - started))) rss+=($((vm_rss / 1024))) peaks+=($((vm_hwm / 1024)))
  echo "run $run: first frame ${first_frames[-1]} ms, resident ${rss[-1]} MB, peak ${peaks[-1]} MB"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median of $RUNS: first frame $(median "${first_frames[@]}") ms, resident $(median "${rss[@]}") MB, peak $(median "${peaks[@]}") MB"
