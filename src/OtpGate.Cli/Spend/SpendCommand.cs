using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace OtpGate.Cli.Spend;

/// <summary>
/// <c>otpgate spend</c>: what was spent today and this month (UTC), overall and per service, against the caps, through
/// the server's <c>GET /v1/spend</c> admin API (<c>--admin-key</c> or OTPGATE_ADMIN_KEY).
/// </summary>
internal static class SpendCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var shared = AdminConnection.Create();
        var spend = new Command("spend", "Show the money spent on messages today and this month (UTC), overall and per service, against the spend caps.")
            { shared.Server, shared.AdminKey, runtime.Json };
        runtime.SetAction(spend, async (context, ct) =>
        {
            var answer = await shared.CallAsync(context, (api, t) => api.GetAsync("/v1/spend", t), ct);
            if (!context.Json)
            {
                Print(context.Out, answer.Body!);
            }

            return ExitCodes.Success;
        });
        return spend;
    }

    private static void Print(TextWriter output, JsonObject report)
    {
        var day = report["day"]!.GetValue<DateTimeOffset>();
        output.WriteLine($"Spend in {report["currency"]}, today {day:yyyy-MM-dd} and this month {day:yyyy-MM} (UTC):");
        output.WriteLine($"  {"",-20} {"today",10} {"daily cap",10} {"month",10} {"monthly cap",12} {"sends today",12}");
        Line(output, "all services", report["overall"]!.AsObject());
        foreach (var service in report["services"]!.AsArray().OfType<JsonObject>())
        {
            Line(output, service["service"]!.GetValue<string>(), service["spend"]!.AsObject());
        }
    }

    private static void Line(TextWriter output, string name, JsonObject line) =>
        output.WriteLine($"  {name,-20} {Amount(line["today"]),10} {Amount(line["dailyCap"]),10} {Amount(line["month"]),10} {Amount(line["monthlyCap"]),12} {line["sendsToday"],12}");

    private static string Amount(JsonNode? amount) => amount is null ? "none" : amount.GetValue<decimal>().ToString("0.00##", CultureInfo.InvariantCulture);
}
