package dev.pmj.api;

import dev.pmj.supervisor.ProcessInfo;
import dev.pmj.supervisor.ProcessState;
import java.util.List;
import java.util.Locale;

/** {@code GET /metrics}: Prometheus text format 0.0.4, one family per line group. */
final class MetricsText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsText() {}

  static String render(List<ProcessInfo> processes) {
    StringBuilder sb = new StringBuilder();
    family(
        sb,
        "pmj_process_up",
        "gauge",
        "Whether the process has a running OS process (1) or not (0).");
    for (ProcessInfo p : processes)
      sample(sb, "pmj_process_up", p.id(), null, p.state().hasProcess() ? 1 : 0);
    family(
        sb,
        "pmj_process_state",
        "gauge",
        "The state the process is in (1) among every state pmj knows.");
    for (ProcessInfo p : processes) {
      for (ProcessState s : ProcessState.values()) {
        sample(sb, "pmj_process_state", p.id(), s.word(), p.state() == s ? 1 : 0);
      }
    }
    family(
        sb,
        "pmj_process_restarts_total",
        "counter",
        "Times the process was started again since pmj started.");
    for (ProcessInfo p : processes)
      sample(sb, "pmj_process_restarts_total", p.id(), null, p.restarts());
    family(
        sb,
        "pmj_process_cpu_seconds_total",
        "counter",
        "CPU time of the process tree's current run, user and system.");
    for (ProcessInfo p : processes)
      sample(sb, "pmj_process_cpu_seconds_total", p.id(), null, p.cpuSeconds());
    family(
        sb,
        "pmj_process_resident_memory_bytes",
        "gauge",
        "Resident memory of the whole process tree.");
    for (ProcessInfo p : processes)
      sample(sb, "pmj_process_resident_memory_bytes", p.id(), null, Math.max(0, p.memoryBytes()));
    family(
        sb,
        "pmj_process_start_time_seconds",
        "gauge",
        "Start of the current run in seconds since the Unix epoch; 0 when not running.");
    for (ProcessInfo p : processes) {
      double t = p.startedAt() == null ? 0 : p.startedAt().toEpochMilli() / 1000.0;
      sample(sb, "pmj_process_start_time_seconds", p.id(), null, t);
    }
    family(
        sb,
        "pmj_output_lines_total",
        "counter",
        "Lines of output read from the process since pmj started.");
    for (ProcessInfo p : processes)
      sample(sb, "pmj_output_lines_total", p.id(), null, p.outputLines());
    return sb.toString();
  }

  private static void family(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(
      StringBuilder sb, String name, String process, String state, double value) {
    sb.append(name).append("{process=\"").append(escape(process)).append('"');
    if (state != null) sb.append(",state=\"").append(escape(state)).append('"');
    sb.append("} ");
    if (value == Math.rint(value) && Math.abs(value) < 1e15) sb.append((long) value);
    else sb.append(String.format(Locale.ROOT, "%.3f", value));
    sb.append('\n');
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
