package dev.pmj.os;

/**
 * A live process that carries this pmj's marker in its environment: started by pmj or descended
 * from a process pmj started, wherever it went (another process group, another session).
 *
 * @param pid its pid
 * @param pgid its process group; the group of the process pmj started unless it left it
 * @param startTicks when it started (clock ticks since boot), so a reused pid is never mistaken for
 *     it
 * @param name its program's name, as {@code ps} shows it
 * @param processId the pmj process it belongs to ({@code PMJ_PROCESS_ID})
 */
public record Marked(long pid, long pgid, long startTicks, String name, String processId) {
  /** "4321 postgres", as pmj names it in its lines. */
  @Override
  public String toString() {
    return pid + " " + name;
  }
}
