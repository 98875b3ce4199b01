# What the HTTP load benchmarks share (sourced by bench/api_load.sh and
# bench/default_limits_load.sh): a free port, waiting for /healthz, and the
# demo city imported once into $CARBONLEDGER_HOME (the caller sets $cl, the
# binary, and $work, its scratch folder).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "$(basename "$0"): the server did not come up" >&2
  return 1
}
# The demo city, imported and prepared once (accounts, inventories), then stopped.
prepare_demo_city() {
  export CARBONLEDGER_HOME="$work/home"
  local port
  port=$(free_port)
  "$cl" demo --port "$port" >"$work/demo.log" 2>&1 &
  local pid=$!
  wait_up "$port"
  kill "$pid"; wait "$pid" || true
}
