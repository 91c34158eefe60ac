using OtpGate.Cli.Output;

namespace OtpGate.Cli.Doctor;

/// <summary>Prints the checklist: aligned verdict words (coloured on a terminal), the detail, and a fix under each line that is not a pass.</summary>
internal static class DoctorReport
{
    public static void Write(CommandContext context, IReadOnlyList<Check> checks)
    {
        var failed = checks.Count(c => c.Verdict == Verdict.Fail);
        var warnings = checks.Count(c => c.Verdict == Verdict.Warn);
        var skipped = checks.Count(c => c.Verdict == Verdict.Skip);
        if (context.Json)
        {
            context.WriteJson(new { ok = failed + skipped == 0, failed, warnings, skipped, checks });
            return;
        }

        var style = context.Style;
        var width = checks.Max(c => c.Title.Length);
        var indent = new string(' ', 2 + 4 + 2 + width + 2);
        foreach (var check in checks)
        {
            var word = check.Verdict switch
            {
                Verdict.Pass => style.Green("PASS"),
                Verdict.Warn => style.Yellow("WARN"),
                Verdict.Fail => style.Red("FAIL"),
                _ => style.Dim("SKIP"),
            };
            context.Out.WriteLine($"  {word}  {check.Title.PadRight(width)}  {check.Detail}");
            if (check.Fix is not null && check.Verdict != Verdict.Pass)
            {
                context.Out.WriteLine($"{indent}{style.Dim("fix:")} {check.Fix}");
            }
        }

        context.Out.WriteLine();
        var verdict = failed + skipped == 0
            ? style.Green($"Ready: {checks.Count - warnings} of {checks.Count} checks passed") + (warnings == 0 ? "." : $", {warnings} {Plural(warnings, "warning")}.")
            : style.Red($"Not ready: {failed} {Plural(failed, "check")} failed") + (skipped == 0 ? "" : $", {skipped} not checked") + (warnings == 0 ? "." : $", {warnings} {Plural(warnings, "warning")}.");
        context.Out.WriteLine(verdict);
    }

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";
}
