import dev.pmj.os.ProcessTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU cost of one metrics sample (CPU and memory of every process tree, one pass over /proc)
 * with N running process trees (default 100): run with the pmj jar on the class path,
 *   java -cp runner/target/pmj.jar bench/SamplerCost.java 100
 */
public class SamplerCost {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    List<Process> children = new ArrayList<>();
    List<Long> roots = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        // sh with a child: two processes a tree, as `sh -c 'sleep 1000 & wait'` under pmj.
        Process p = new ProcessBuilder("sh", "-c", "sleep 1000 & wait").start();
        children.add(p);
        roots.add(p.pid());
      }
      Thread.sleep(500);
      ProcessTable table = ProcessTable.create();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (int i = 0; i < 50; i++) table.sample(roots); // warm up the JIT as a running pmj would be
      int samples = 200;
      long cpu0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      int seen = 0;
      for (int i = 0; i < samples; i++) seen = table.sample(roots).size();
      long wall = System.nanoTime() - t0;
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      double cpuMs = cpu / 1e6 / samples;
      System.out.printf("sampler trees %d (found %d, processes on the machine %d)%n", n, seen, ProcessHandle.allProcesses().count());
      System.out.printf("sampler wall_ms_per_sample %.2f%n", wall / 1e6 / samples);
      System.out.printf("sampler cpu_ms_per_sample %.2f%n", cpuMs);
      System.out.printf("sampler cpu_percent_of_one_core_at_2s_tick %.3f%%%n", cpuMs / 2000 * 100);
    } finally {
      for (Process p : children) p.descendants().forEach(ProcessHandle::destroyForcibly);
      for (Process p : children) p.destroyForcibly();
    }
  }
}
