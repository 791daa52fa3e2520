package dev.pmj.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a completion script for a shell. Install it with:",
      "  bash: pmj completion bash > ~/.local/share/bash-completion/completions/pmj",
      "  zsh:  pmj completion zsh > \"${fpath[1]}/_pmj\"   (or: source <(pmj completion zsh))",
      "  fish: pmj completion fish > ~/.config/fish/completions/pmj.fish"
    })
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh,
    fish
  }

  private final Context context;

  @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
  Shell shell;

  CompletionCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    context.out.print(Completion.script(shell, context));
    context.out.flush();
    return ExitCodes.OK;
  }
}
