package io.modelplane.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code modelplane completion bash}: prints a completion script for the shell. */
@Command(
    name = "completion",
    description = {
      "Prints a shell completion script (bash; zsh after 'autoload -U +X bashcompinit &&"
          + " bashcompinit').",
      "  source <(modelplane completion bash)"
    })
final class CompletionCommand implements Runnable {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh", defaultValue = "bash")
  String shell;

  @Override
  public void run() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("completion: unsupported shell '" + shell + "' (bash or zsh)");
    }
    spec.commandLine().getOut().print(AutoComplete.bash("modelplane", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
