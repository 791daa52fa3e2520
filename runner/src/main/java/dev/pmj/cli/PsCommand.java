package dev.pmj.cli;

import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description =
        "List the processes of the running pmj: state, pid, uptime, restarts, CPU, memory, last exit, and why one is failed or waiting to restart.")
final class PsCommand implements Callable<Integer> {
  private final Context context;

  @Option(names = "--json", description = "Print the API's JSON (one array) instead of a table.")
  boolean json;

  PsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Remote remote = Remote.connect(context, "pmj ps");
    if (remote == null) return ExitCodes.FAILURE;
    List<ProcessInfo> processes;
    try {
      if (json) {
        context.out.println(remote.control.processesJson());
        return ExitCodes.OK;
      }
      processes = remote.control.processes();
    } catch (ControlException e) {
      Remote.unreachable(context, remote, e);
      return ExitCodes.FAILURE;
    }
    for (String line : table(processes, Instant.now())) context.out.println(line);
    return ExitCodes.OK;
  }

  /**
   * The table {@code pmj ps} prints (and {@code pmj up -d} after starting). A REASON column says
   * why a process is failed or waiting to restart; it is there only when one is.
   */
  static List<String> table(List<ProcessInfo> processes, Instant now) {
    List<String[]> rows = new ArrayList<>();
    boolean anyReason = processes.stream().anyMatch(p -> !p.reason().isEmpty());
    String[] header = {"ID", "STATE", "PID", "UPTIME", "RESTARTS", "CPU", "MEMORY", "LAST EXIT"};
    rows.add(anyReason ? append(header, "REASON") : header);
    boolean anyAdded = false;
    for (ProcessInfo p : processes) {
      anyAdded |= p.adHoc();
      String[] row =
          new String[] {
            p.id() + (p.adHoc() ? "*" : ""),
            p.state().word(),
            p.pid() > 0 ? Long.toString(p.pid()) : "-",
            p.startedAt() == null ? "-" : duration(Duration.between(p.startedAt(), now)),
            Integer.toString(p.restarts()),
            p.pid() > 0 ? String.format(Locale.ROOT, "%.1f%%", p.cpuPercent()) : "-",
            p.pid() > 0 && p.memoryBytes() > 0 ? memory(p.memoryBytes()) : "-",
            p.lastExit() == null ? "-" : p.lastExit()
          };
      rows.add(anyReason ? append(row, p.reason()) : row);
    }
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows)
      for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        boolean number = i == 2 || i == 4 || i == 5 || i == 6;
        String cell = r[i];
        String pad = " ".repeat(width[i] - cell.length());
        if (i > 0) sb.append("  ");
        sb.append(number && r != rows.get(0) ? pad + cell : cell + (i == r.length - 1 ? "" : pad));
      }
      out.add(sb.toString().stripTrailing());
    }
    if (anyAdded) out.add("* added at run time (pmj run), not in the file");
    return out;
  }

  private static String[] append(String[] row, String cell) {
    String[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = cell;
    return out;
  }

  /** {@code 45s}, {@code 12m3s}, {@code 2h5m}, {@code 3d4h}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) return s + "s";
    if (s < 3600) return s / 60 + "m" + s % 60 + "s";
    if (s < 86400) return s / 3600 + "h" + (s % 3600) / 60 + "m";
    return s / 86400 + "d" + (s % 86400) / 3600 + "h";
  }

  static String memory(long bytes) {
    if (bytes >= 1L << 30)
      return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    if (bytes >= 1L << 20)
      return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
  }
}
