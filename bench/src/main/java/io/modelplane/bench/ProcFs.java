package io.modelplane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** What Linux says about processes and the machine (/proc). */
final class ProcFs {
  /** Clock ticks per second of /proc/.../stat (USER_HZ; 100 on Linux x86-64 and arm64). */
  static final long TICKS_PER_SECOND = 100;

  private ProcFs() {}

  /** A {@code kB} field of /proc/PID/status, e.g. VmRSS; -1 when the process is gone. */
  static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** utime + stime of a process in clock ticks; -1 when it is gone. */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      // After "pid (comm) ": state=0 ... utime=11, stime=12
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime of the live threads of a process whose name starts with one of the prefixes. */
  static long threadTicks(long pid, String... namePrefixes) {
    long sum = 0;
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        String name = Files.readString(task.resolve("comm")).trim();
        for (String prefix : namePrefixes) {
          if (name.startsWith(prefix)) {
            String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            break;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return sum;
    }
    return sum;
  }

  static long sumTicks(Collection<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      long ticks = processTicks(pid);
      if (ticks > 0) {
        sum += ticks;
      }
    }
    return sum;
  }

  /** {busy, total} ticks of all CPUs together, from the first line of /proc/stat. */
  static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, busy + idle + iowait};
    } catch (IOException e) {
      return new long[] {0, 0};
    }
  }

  static String memTotal() {
    return line("/proc/meminfo", "MemTotal:").replace("MemTotal:", "").trim();
  }

  static String cpuModel() {
    return line("/proc/cpuinfo", "model name").replaceFirst("model name\\s*:\\s*", "");
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static String line(String file, String prefix) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
