using System.Globalization;
using System.Text.Json.Nodes;

namespace OtpGate.Cli.Verify;

/// <summary>
/// A verification as the API returns it, for people: its fields as aligned lines (those without a value left out),
/// then the timeline, one change per line with its time. Scripts use <c>--json</c>.
/// </summary>
internal static class VerificationText
{
    private static readonly (string Field, string Label)[] Fields =
    [
        ("id", "id"),
        ("status", "status"),
        ("phone", "phone"),
        ("purpose", "purpose"),
        ("locale", "locale"),
        ("clientRef", "client ref"),
        ("metadata", "metadata"),
        ("isTest", "test number"),
        ("createdAt", "created"),
        ("expiresAt", "expires"),
        ("endedAt", "ended"),
        ("attemptsLeft", "attempts left"),
        ("sendsLeft", "sends left"),
        ("resendAvailableAt", "resend from"),
        ("deliveryStatus", "delivery"),
        ("failureReason", "failure"),
    ];

    public static void Write(TextWriter output, JsonObject verification)
    {
        var lines = Fields.Select(f => (f.Label, Text: Value(f.Field, verification[f.Field]))).Where(l => l.Text is not null).ToList();
        var width = lines.Select(l => l.Label.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (label, text) in lines)
        {
            output.WriteLine($"  {label.PadRight(width)}{text}");
        }

        if (verification["timeline"] is JsonArray { Count: > 0 } timeline)
        {
            output.WriteLine("  timeline");
            foreach (var entry in timeline.OfType<JsonObject>())
            {
                output.WriteLine("    " + TimelineLine(entry));
            }
        }
    }

    /// <summary>"03:36:20.044  delivery failed  Message undeliverable … (send 1)".</summary>
    internal static string TimelineLine(JsonObject entry)
    {
        var kind = Text(entry["kind"]) ?? "?";
        var status = Text(entry["status"]);
        // The kind says it when the status is its own word (created/pending aside): "accepted accepted" → "accepted".
        var what = status is null || status == kind || kind == "created" ? kind : $"{kind} {status}";
        var detail = Text(entry["detail"]) is { } d ? "  " + d : "";
        var send = entry["sequence"] is JsonValue sequence && sequence.TryGetValue<int>(out var number) ? $" (send {number})" : "";
        return $"{Time(entry["at"], withDate: false) ?? "?",-12}  {what}{detail}{send}";
    }

    private static string? Value(string field, JsonNode? node) => field switch
    {
        "isTest" => node is JsonValue v && v.TryGetValue<bool>(out var isTest) && isTest ? "yes (nothing is sent)" : null,
        "metadata" => node is JsonObject { Count: > 0 } metadata ? string.Join(", ", metadata.Select(p => $"{p.Key}={Text(p.Value)}")) : null,
        "createdAt" or "expiresAt" or "endedAt" or "resendAvailableAt" => Time(node, withDate: true),
        _ => Text(node),
    };

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length == 0 ? null : text,
        JsonValue value => value.ToString(),
        _ => null,
    };

    private static string? Time(JsonNode? node, bool withDate) =>
        Text(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString(withDate ? "yyyy-MM-dd HH:mm:ss 'UTC'" : "HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : null;
}
