package io.modelplane.server.executor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finding and ending a child process with everything it started. */
final class ProcessTrees {
  private ProcessTrees() {}

  /**
   * The live process with this pid, when it is the one that started at {@code startedAt} (a pid
   * reused by another process since is not it).
   */
  static Optional<ProcessHandle> find(long pid, Instant startedAt) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            handle ->
                startedAt == null
                    || handle
                        .info()
                        .startInstant()
                        .map(start -> Duration.between(start, startedAt).abs().toMillis() < 2_000)
                        .orElse(false));
  }

  /** Kills {@code root} and its descendants (deepest first, again for any started meanwhile). */
  static void kill(ProcessHandle root) {
    List<ProcessHandle> killed = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      List<ProcessHandle> descendants =
          root.descendants()
              .filter(ProcessHandle::isAlive)
              .sorted(Comparator.comparingInt(ProcessTrees::depthUnder).reversed())
              .toList();
      if (descendants.isEmpty() && round > 0) {
        break;
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
      killed.addAll(descendants);
    }
    root.destroyForcibly();
    killed.add(root);
    for (ProcessHandle handle : killed) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // still going after SIGKILL: nothing more to do from here
      }
    }
  }

  private static int depthUnder(ProcessHandle handle) {
    int depth = 0;
    Optional<ProcessHandle> parent = handle.parent();
    while (parent.isPresent() && depth < 64) {
      depth++;
      parent = parent.get().parent();
    }
    return depth;
  }
}
