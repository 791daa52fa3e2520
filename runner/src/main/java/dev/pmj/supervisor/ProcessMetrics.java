package dev.pmj.supervisor;

/**
 * CPU and memory of one process tree (the process and every descendant) at one sample.
 *
 * @param cpuPercent CPU used since the previous sample, in percent of one core
 * @param cpuSeconds CPU time used by the current run's tree so far
 * @param memoryBytes resident memory of the tree; -1 where the OS does not say
 * @param processes how many processes the tree has
 */
public record ProcessMetrics(
    String id, long pid, double cpuPercent, double cpuSeconds, long memoryBytes, int processes) {

  /** What a process without a running tree uses. */
  public static ProcessMetrics none(String id) {
    return new ProcessMetrics(id, 0, 0, 0, 0, 0);
  }
}
