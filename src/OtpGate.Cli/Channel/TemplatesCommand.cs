using System.CommandLine;
using OtpGate.Cli.Output;
using OtpGate.OneMsg.Templates;

namespace OtpGate.Cli.Channel;

/// <summary><c>otpgate templates [--all]</c>: the channel's templates, each authentication template marked whether OtpGate can send codes with it.</summary>
internal static class TemplatesCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var all = new Option<bool>("--all") { Description = "List every template, not only AUTHENTICATION ones." };
        var command = new Command("templates", "List the channel's templates and whether each authentication template fits OtpGate.") { all };
        runtime.Config.AddChannelOptions(command);
        command.Options.Add(runtime.Json);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var templates = await context.OneMsg().GetTemplatesAsync(cancellationToken);
            var listed = context.Parse.GetValue(all) ? templates : [.. templates.Where(IsAuthentication)];
            var rows = listed.Select(TemplateRow.From).ToList();
            if (context.Json)
            {
                context.WriteJson(new { templates = rows });
                return ExitCodes.Success;
            }

            Write(context, rows, templates.Count);
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsAuthentication(TemplateInfo template) => template.Category == "AUTHENTICATION";

    private static void Write(CommandContext context, List<TemplateRow> rows, int total)
    {
        var style = context.Style;
        if (rows.Count == 0)
        {
            context.Out.WriteLine(total == 0
                ? "The channel has no templates. Create an AUTHENTICATION template with a copy-code button in the 1MSG dashboard."
                : $"The channel has {total} templates, none in category AUTHENTICATION; --all lists them.");
            return;
        }

        var table = new Table("name", "language", "namespace", "category", "status", "otpgate");
        foreach (var row in rows)
        {
            var fits = row.FitsOtpGate switch { true => ("fits", (Func<string, string>?)style.Green), false => ("no", style.Red), null => ("-", null) };
            table.Add((row.Name, null), (row.Language, null), (row.Namespace ?? "(none)", null), (row.Category ?? "(none)", null),
                (row.Status.ToLowerInvariant(), row.Status == "APPROVED" ? null : style.Yellow), fits);
        }

        table.Write(context.Out, style);
        var problems = rows.Where(r => r.Problem is not null).ToList();
        if (problems.Count > 0)
        {
            context.Out.WriteLine();
            foreach (var row in problems)
            {
                context.Out.WriteLine($"{style.Red("no")}: {row.Problem}");
            }
        }
    }
}

/// <summary>One template as listed, text or JSON. <see cref="FitsOtpGate"/> is null for templates that are not AUTHENTICATION.</summary>
internal sealed record TemplateRow(string Name, string Language, string? Namespace, string? Category, string Status, bool? FitsOtpGate, string? Problem, int? CodeExpiryMinutes)
{
    public static TemplateRow From(TemplateInfo t)
    {
        var authentication = t.Category == "AUTHENTICATION";
        var problem = authentication ? t.AuthenticationCodeProblem : null;
        return new TemplateRow(t.Name, t.Language, t.Namespace, t.Category, t.Status, authentication ? problem is null : null, problem, t.CodeExpiryMinutes);
    }
}
