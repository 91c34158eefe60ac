using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg.Webhooks;

/// <summary>
/// Reads any body 1MSG POSTs to a webhook: the normalised <c>{instanceId, ack:[…], messages:[…]}</c>, raw Meta
/// <c>{object, entry[].changes[].value.{statuses, messages, message_echoes}}</c>, and the seed's
/// <c>{hooks:[…]}</c>. A body may carry several events, duplicates included (the receiver deduplicates).
/// Never throws: anything unreadable comes back with <see cref="WebhookParseResult.Error"/> set.
/// </summary>
public static class WebhookPayloadParser
{
    private const int MaxDepth = 64;
    private const string EmptyBody = "The webhook body is empty; 1MSG sends a JSON object.";
    private const string NotUtf8 = "The webhook body is not valid UTF-8 text.";

    /// <summary>Parses a UTF-8 JSON body.</summary>
    public static WebhookParseResult Parse(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Failure(EmptyBody);
        }

        // The reader does not check the UTF-8 inside strings; reading such a string later would throw.
        if (!Utf8.IsValid(body))
        {
            return Failure(NotUtf8);
        }

        JsonDocument document;
        try
        {
            // Anything after the first value (a second object, stray text) makes Read throw: one body, one object.
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
            reader.Read();
        }
        catch (JsonException e)
        {
            return NotJson(e);
        }

        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>
    /// Parses a body as it arrives, up to <paramref name="maxBytes"/>: the JSON is parsed straight from the stream, never
    /// copied into a string. A body over the cap stops the read and comes back with <see cref="WebhookParseResult.IsTooLarge"/>.
    /// </summary>
    public static async Task<WebhookParseResult> ParseAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var capped = new CappedReadStream(body, maxBytes);
        JsonDocument document;
        try
        {
            // A UTF-8 byte order mark is skipped; anything after the first value makes the parse fail: one body, one object.
            document = await JsonDocument.ParseAsync(capped, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (BodyTooLargeException)
        {
            return new WebhookParseResult { IsTooLarge = true, Error = $"The webhook body is larger than {maxBytes} bytes." };
        }
        catch (JsonException e)
        {
            return capped.SawContent ? NotJson(e) : Failure(EmptyBody);
        }

        // Invalid UTF-8 fails the parse above (with the place it starts), as any other text that is not JSON.
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    /// <summary>Parses a JSON body given as text.</summary>
    public static WebhookParseResult Parse(string? body) => Parse(Encoding.UTF8.GetBytes(body ?? ""));

    private static WebhookParseResult Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failure($"The webhook body must be a JSON object, got {Describe(root.ValueKind)}; 1MSG sends an object such as {{\"instanceId\": …, \"ack\": […]}}.");
        }

        var collector = new Collector();
        var recognised = false;
        foreach (var (name, isStatus) in new[] { ("ack", true), ("hooks", true), ("statuses", true), ("messages", false) })
        {
            if (JsonRead.Property(root, name) is { } section)
            {
                recognised = true;
                collector.Section(section, name, isStatus ? collector.AddStatus : e => collector.AddMessage(e, fromMe: null));
            }
        }

        if (JsonRead.Property(root, "entry") is { } entries)
        {
            recognised = true;
            collector.Section(entries, "entry", entry =>
            {
                foreach (var change in JsonRead.Array(entry, "changes"))
                {
                    ReadMetaValue(collector, JsonRead.Property(change, "value"));
                }
            });
        }

        var otherEvent = !recognised && collector.Error is null;
        if (otherEvent)
        {
            collector.Error = "The body has none of ack, hooks, statuses, messages or entry, so it is not a 1MSG status or message callback.";
        }

        return new WebhookParseResult
        {
            IsOtherEvent = otherEvent,
            Statuses = collector.Statuses,
            Messages = collector.Messages,
            InstanceId = JsonRead.String(root, "instanceId"),
            Skipped = collector.Skipped,
            Error = collector.Error,
        };
    }

    private static void ReadMetaValue(Collector collector, JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } change)
        {
            return;
        }

        collector.Section(JsonRead.Property(change, "statuses"), "statuses", collector.AddStatus);
        collector.Section(JsonRead.Property(change, "messages"), "messages", e => collector.AddMessage(e, fromMe: null));
        collector.Section(JsonRead.Property(change, "message_echoes"), "message_echoes", e => collector.AddMessage(e, fromMe: true));
    }

    private static WebhookParseResult Failure(string error) => new() { Error = error };

    private static WebhookParseResult NotJson(JsonException e) =>
        Failure($"The webhook body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "a JSON value",
    };

    private sealed class Collector
    {
        public List<StatusEvent> Statuses { get; } = [];

        public List<InboundMessage> Messages { get; } = [];

        public int Skipped { get; private set; }

        public string? Error { get; set; }

        /// <summary>Runs <paramref name="read"/> on each element of an array section; a section that is not an array is an error.</summary>
        public void Section(JsonElement? section, string name, Action<JsonElement> read)
        {
            switch (section)
            {
                case null or { ValueKind: JsonValueKind.Null }:
                    return;
                case { ValueKind: JsonValueKind.Array } array:
                    foreach (var element in array.EnumerateArray())
                    {
                        read(element);
                    }

                    return;
                case { } other:
                    Error ??= $"`{name}` must be an array, got {Describe(other.ValueKind)}.";
                    return;
            }
        }

        public void AddStatus(JsonElement element)
        {
            if (StatusReaders.Read(element) is { } status)
            {
                Statuses.Add(status);
            }
            else
            {
                Skipped++;
            }
        }

        public void AddMessage(JsonElement element, bool? fromMe)
        {
            if (element.ValueKind != JsonValueKind.Object || JsonRead.String(element, "id") is not { } id)
            {
                Skipped++;
                return;
            }

            // Normalised messages carry chatId/fromMe/body; Meta's carry from/to and text.body.
            var chatId = JsonRead.String(element, "chatId")
                ?? (JsonRead.String(element, fromMe == true ? "to" : "from") is { } digits ? digits + "@c.us" : null);
            var body = JsonRead.String(element, "body")
                ?? Nested(element, "text", "body") ?? Nested(element, "button", "text") ?? JsonRead.String(element, "caption");
            Messages.Add(new InboundMessage(
                id,
                chatId,
                JsonRead.String(element, "type"),
                fromMe ?? (JsonRead.Boolean(element, "fromMe") ?? JsonRead.Boolean(element, "self") ?? false),
                body));
        }

        private static string? Nested(JsonElement element, string outer, string inner) =>
            JsonRead.Property(element, outer) is { } o ? JsonRead.String(o, inner) : null;
    }
}
