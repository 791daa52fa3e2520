package dev.pmj.os;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where there is no {@code /proc} (macOS, Windows): CPU time from the JDK's process API, which
 * works on every OS; memory is not known there (-1).
 */
final class HandleProcessTable implements ProcessTable {
  @Override
  public Map<Long, Usage> sample(Collection<Long> roots) {
    Map<Long, Usage> out = new HashMap<>();
    for (long root : roots) {
      ProcessHandle.of(root)
          .ifPresent(
              h -> {
                long[] cpu = {cpu(h)};
                int[] count = {1};
                h.descendants()
                    .forEach(
                        d -> {
                          cpu[0] += cpu(d);
                          count[0]++;
                        });
                out.put(root, new Usage(cpu[0], -1, count[0]));
              });
    }
    return out;
  }

  private static long cpu(ProcessHandle h) {
    return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
