#!/usr/bin/env bash
# N (default 1,000) idle `sleep` processes under pmj and under supervisord, in the same run:
#   start_s            launch -> all N children exist (pmj: also start_said_s, launch -> the Nth
#                      "started" line)
#   rss_MB, threads    of the runner's own process, STEADY_S (5) after all are up
#   idle_cpu_pct       the runner's CPU over IDLE_S (20) seconds of idling, in % of one core
#   children_gone_s    SIGTERM to the runner -> every child gone
#   runner_gone_s      SIGTERM to the runner -> the runner gone
# "Gone" is read from /proc/PID/stat: absent or a zombie (Z). A child whose parent died is reaped
# by this machine's init only after 1-2 s, so `kill -0` would count that wait too.
# Run by hand, not in CI.   N=600 TRIALS=3 bench/scale.sh      TOOLS=pmj IDLE_S=5 bench/scale.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PMJ=${PMJ:-$here/../pmj}
SHARED_BENCH=${SHARED_BENCH:-$here/../../shared/bench}
[ -d "$SHARED_BENCH" ] || { echo "no benchmark harness at $SHARED_BENCH (set SHARED_BENCH)" >&2; exit 2; }
source "$SHARED_BENCH/lib.sh"
N=${N:-1000}
TRIALS=${TRIALS:-1}
STEADY_S=${STEADY_S:-5}
IDLE_S=${IDLE_S:-20}
STOP_SIGNAL=${STOP_SIGNAL:-TERM}
LIMIT_S=${LIMIT_S:-60}
TOOLS=${TOOLS:-"supervisor pmj"}
if ! command -v supervisord >/dev/null 2>&1 && [[ " $TOOLS " == *" supervisor "* ]]; then
  note "installing supervisor (apt)"
  { apt-get update -qq && apt-get install -y -qq supervisor; } >&2 || note "apt install failed"
fi
# Build pmj and its start-up cache before anything is timed.
"$PMJ" --version >/dev/null
mkwork scale
emit_load start

# The children: tagged processes whose comm is sleep, alive. Sets KIDS (pids). No fork per pid.
KIDS=()
scan_kids() {
  local f p st comm
  KIDS=()
  for f in $(grep -lzx "BENCH_TAG=$BENCH_TAG" /proc/[0-9]*/environ 2>/dev/null); do
    p=${f#/proc/}; p=${p%/environ}
    { read -r st <"/proc/$p/stat"; } 2>/dev/null || continue
    comm=${st#*(}; comm=${comm%%)*}
    st=${st##*) }; st=${st%% *}
    [[ $comm == sleep && $st != Z && $st != X ]] && KIDS+=("$p")
  done
}
# Waits until at least N children exist; T_UP = when they did. Status 1 after LIMIT_S.
# While fewer than N tagged processes exist at all (one grep), the children are not looked at one
# by one: that costs a core's tenth per poll on this 2-core machine, taken from the runner.
wait_up() { # t0
  local end tagged; end=$(awk -v a="$1" -v b="$LIMIT_S" 'BEGIN{printf "%.6f", a+b}')
  while :; do
    mapfile -t tagged < <(grep -lzx "BENCH_TAG=$BENCH_TAG" /proc/[0-9]*/environ 2>/dev/null)
    if ((${#tagged[@]} >= N)); then
      scan_kids
      ((${#KIDS[@]} >= N)) && { T_UP=$(now); return 0; }
    fi
    fgt "$EPOCHREALTIME" "$end" && return 1
    nap 0.05
  done
}
# Waits until every pid in KIDS is gone; T_KIDS = when. Meanwhile T_RUNNER = when RPID went.
wait_stopped() { # t0
  local end p left; end=$(awk -v a="$1" -v b="$LIMIT_S" 'BEGIN{printf "%.6f", a+b}')
  T_KIDS="" T_RUNNER=""
  left=("${KIDS[@]}")
  while :; do
    local still=()
    for p in "${left[@]}"; do alive "$p" && still+=("$p"); done
    left=("${still[@]}")
    [[ -z $T_KIDS && ${#left[@]} -eq 0 ]] && T_KIDS=$(now)
    [[ -z $T_RUNNER ]] && ! alive "$RPID" && T_RUNNER=$(now)
    [[ -n $T_KIDS && -n $T_RUNNER ]] && return 0
    fgt "$EPOCHREALTIME" "$end" && { KIDS_LEFT=${#left[@]}; return 1; }
    nap 0.01
  done
}

# One trial: launch, wait for all N, measure, stop. tool, cmd...
trial() {
  local tool=$1 t0 t_sig said ticks0 ticks1
  shift
  t0=$(now)
  launch "$WORK/out.$tool" "$@"
  if ! wait_up "$t0"; then
    emit "$tool" start_s nan "s(only_${#KIDS[@]}_of_${N}_in_${LIMIT_S}s)"
    kill -KILL "$RPID" 2>/dev/null; kill_tagged "$BENCH_TAG" KILL; wait "$RPID" 2>/dev/null
    return 1
  fi
  START+=("$(fsub "$T_UP" "$t0")")
  if [[ $tool == pmj ]]; then
    # pmj says each start; the Nth line's time is when it is done starting (it may come later
    # than the Nth child exists).
    local end; end=$(awk -v a="$EPOCHREALTIME" 'BEGIN{printf "%.6f", a+30}')
    until (($(grep -c ': started (pid ' "$WORK/out.$tool") >= N)); do
      fgt "$EPOCHREALTIME" "$end" && break
      nap 0.01
    done
    said=$(now)
    SAID+=("$(fsub "$said" "$t0")")
  fi
  nap "$STEADY_S"
  RSS+=("$(rss_kb "$RPID" | awk '{printf "%.1f", $1/1024}')")
  THREADS+=("$(awk '/^Threads:/{print $2}' "/proc/$RPID/status")")
  pid_ticks "$RPID"; ticks0=$TICKS_OUT
  nap "$IDLE_S"
  pid_ticks "$RPID"; ticks1=$TICKS_OUT
  IDLE+=("$(awk -v d=$((ticks1 - ticks0)) -v t="$TICKS" -v s="$IDLE_S" 'BEGIN{printf "%.2f", 100*d/t/s}')")
  scan_kids
  t_sig=$(now)
  kill "-$STOP_SIGNAL" "$RPID"
  if wait_stopped "$t_sig"; then
    KGONE+=("$(fsub "$T_KIDS" "$t_sig")")
    RGONE+=("$(fsub "$T_RUNNER" "$t_sig")")
  else
    note "$tool: ${KIDS_LEFT:-?} children or the runner still there ${LIMIT_S}s after SIG$STOP_SIGNAL"
    KGONE+=(nan) RGONE+=(nan)
  fi
  kill -KILL "$RPID" 2>/dev/null
  kill_tagged "$BENCH_TAG" KILL
  wait "$RPID" 2>/dev/null
  note "$tool: start ${START[-1]} s, rss ${RSS[-1]} MB, threads ${THREADS[-1]}, idle ${IDLE[-1]} %, children gone ${KGONE[-1]} s, runner gone ${RGONE[-1]} s"
}

report() { # tool
  local tool=$1 unit="(median_of_$TRIALS)"
  emit "$tool" start_s "$(printf '%s\n' "${START[@]}" | median)" "s$unit"
  ((${#SAID[@]})) && emit "$tool" start_said_s "$(printf '%s\n' "${SAID[@]}" | median)" "s$unit"
  emit "$tool" rss_MB "$(printf '%s\n' "${RSS[@]}" | median | awk '{printf "%.1f", $1}')" "MB(${STEADY_S}s_after_all_up)"
  emit "$tool" threads "$(printf '%s\n' "${THREADS[@]}" | median | awk '{printf "%d", $1}')" threads
  emit "$tool" idle_cpu_pct "$(printf '%s\n' "${IDLE[@]}" | median | awk '{printf "%.2f", $1}')" "%_of_a_core(over_${IDLE_S}s)"
  emit "$tool" children_gone_s "$(printf '%s\n' "${KGONE[@]}" | median)" "s(SIG${STOP_SIGNAL}$unit)"
  emit "$tool" runner_gone_s "$(printf '%s\n' "${RGONE[@]}" | median)" "s(SIG${STOP_SIGNAL}$unit)"
  if ((TRIALS > 1)); then
    emit "$tool" start_s_range "$(printf '%s\n' "${START[@]}" | range)" s
    emit "$tool" children_gone_s_range "$(printf '%s\n' "${KGONE[@]}" | range)" s
    emit "$tool" runner_gone_s_range "$(printf '%s\n' "${RGONE[@]}" | range)" s
  fi
}

for tool in $TOOLS; do
  START=() SAID=() RSS=() THREADS=() IDLE=() KGONE=() RGONE=()
  case $tool in
  supervisor)
    have supervisord || { skip supervisor "not installed"; continue; }
    mkdir -p "$WORK/sv"
    cat >"$WORK/sv/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=$WORK/sv/supervisord.log
pidfile=$WORK/sv/supervisord.pid
childlogdir=$WORK/sv
minfds=$((4 * N + 64))
[program:s]
command=sleep 1000
numprocs=$N
process_name=%(program_name)s_%(process_num)04d
autorestart=false
startsecs=0
stopwaitsecs=5
EOF
    for ((t = 1; t <= TRIALS; t++)); do
      rm -f "$WORK"/sv/s_*.log
      trial supervisor supervisord -n -c "$WORK/sv/supervisord.conf"
    done
    ((${#START[@]})) && report supervisor ;;
  pmj)
    mkdir -p "$WORK/pmj"
    {
      echo "version: 1"
      echo "processes:"
      for ((i = 1; i <= N; i++)); do echo "  s$i: {command: sleep 1000, restart: never}"; done
    } >"$WORK/pmj/pmj.yaml"
    # The launcher makes the start-up cache of `pmj up` at its first run: not in a timed one.
    printf 'processes:\n  w: {command: "true", restart: never}\n' >"$WORK/pmj/warm.yaml"
    "$PMJ" up --no-console -f "$WORK/pmj/warm.yaml" >/dev/null 2>&1 </dev/null
    for ((t = 1; t <= TRIALS; t++)); do
      rm -rf "$WORK/pmj/.pmj"
      trial pmj "$PMJ" up --no-console -f "$WORK/pmj/pmj.yaml"
    done
    ((${#START[@]})) && report pmj ;;
  *) skip "$tool" "unknown tool" ;;
  esac
done
emit_load end
