package dev.pmj.cli;

import dev.pmj.supervisor.Control;
import dev.pmj.supervisor.ControlException;
import dev.pmj.supervisor.ProcessInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pmj scale ID=N...} (README, "Scaling"), as {@code pm2 scale web 4}: every argument is
 * checked first, so a typo changes nothing; then each process is scaled and what changed printed,
 * one line a process.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Run N instances of processes of the running pmj (ID=N; 0 stops it): new ones start, the highest go first; the others are untouched and nothing is written to the file.")
final class ScaleCommand implements Callable<Integer> {
  private static final Pattern ARG = Pattern.compile("([^=]+)=(.*)");
  private static final Pattern INSTANCE = Pattern.compile("\\.[0-9]+$");

  private final Context context;

  @Parameters(paramLabel = "ID=N", arity = "1..*", description = "A process and its count.")
  List<String> args = new ArrayList<>();

  ScaleCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Map<String, Integer> wanted = new LinkedHashMap<>();
    for (String a : args) {
      Matcher m = ARG.matcher(a);
      Integer n = m.matches() ? count(m.group(2)) : null;
      if (n == null) {
        context.err.println(
            "pmj: scale takes ID=N with N a whole number from 0 to "
                + Control.MAX_INSTANCES
                + ", such as web=3 (got \""
                + a
                + "\")");
        return ExitCodes.USAGE;
      }
      wanted.put(m.group(1), n);
    }
    Remote remote = Remote.connect(context, "pmj scale");
    if (remote == null) return ExitCodes.FAILURE;
    try {
      // Names, as the file has them: web for web.1, web.2.
      Set<String> adHoc = new LinkedHashSet<>();
      Set<String> instances = new LinkedHashSet<>();
      Set<String> names = new LinkedHashSet<>();
      List<ProcessInfo> all = remote.control.processes();
      // web.2 is an instance of web beside web or another web.N, and web.1 always is (the first of
      // a file's instances); alone, a name may hold a dot and a number itself (node.18).
      Map<String, Integer> family = new java.util.HashMap<>();
      for (ProcessInfo p : all) {
        if (!p.adHoc()) family.merge(INSTANCE.matcher(p.id()).replaceFirst(""), 1, Integer::sum);
      }
      for (ProcessInfo p : all) {
        String base = INSTANCE.matcher(p.id()).replaceFirst("");
        boolean instance = !base.equals(p.id()) && (family.get(base) > 1 || p.id().endsWith(".1"));
        String name = instance ? base : p.id();
        if (p.adHoc()) adHoc.add(p.id());
        else names.add(name);
        if (!p.adHoc() && instance) instances.add(p.id());
      }
      // Every argument is checked before anything is done, so that a typo changes nothing.
      for (String id : wanted.keySet()) {
        if (names.contains(id)) continue;
        if (adHoc.contains(id)) {
          context.err.println(
              "pmj: " + id + " was added at run time; only processes of the file can be scaled");
        } else if (instances.contains(id)) {
          String of = INSTANCE.matcher(id).replaceFirst("");
          context.err.println(
              "pmj: "
                  + id
                  + " is an instance of "
                  + of
                  + "; scale the process: pmj scale "
                  + of
                  + "=N");
        } else {
          Remote.sayNoProcess(context, id, names, names);
        }
        return ExitCodes.FAILURE;
      }
      for (Map.Entry<String, Integer> e : wanted.entrySet()) {
        Control.Scaled s = remote.control.scale(e.getKey(), e.getValue(), "pmj scale");
        context.out.println(line(s));
      }
      return ExitCodes.OK;
    } catch (ControlException e) {
      if (e.kind() == ControlException.Kind.UNAVAILABLE) Remote.unreachable(context, remote, e);
      else context.err.println("pmj: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  /** The count in {@code N}; null when it is not one. */
  private static Integer count(String text) {
    if (!text.matches("[0-9]{1,3}")) return null;
    int n = Integer.parseInt(text);
    return n <= Control.MAX_INSTANCES ? n : null;
  }

  /** "web: 1 → 3 instances (started web.2, web.3)". */
  static String line(Control.Scaled s) {
    if (s.from() == s.to()) return s.id() + ": already " + instances(s.to());
    List<String> did = new ArrayList<>();
    if (!s.started().isEmpty()) did.add("started " + String.join(", ", s.started()));
    if (!s.removed().isEmpty()) did.add("stopped and removed " + String.join(", ", s.removed()));
    if (!s.stopped().isEmpty()) did.add("stopped " + String.join(", ", s.stopped()));
    return s.id()
        + ": "
        + s.from()
        + " → "
        + instances(s.to())
        + " ("
        + String.join("; ", did)
        + ")";
  }

  private static String instances(int n) {
    return n + (n == 1 ? " instance" : " instances");
  }
}
