using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.Benchmarks;

/// <summary>
/// Webhook payload parsing, one status per body as 1MSG sends them. Baseline: JsonDocument.Parse of the normalised body
/// (what any DOM-based reader pays); the ratios are the parser's cost over reading the JSON at all.
/// </summary>
[MemoryDiagnoser]
public class WebhookBenchmarks
{
    private static readonly byte[] NormalisedAck = Encoding.UTF8.GetBytes("""
        {"instanceId":"359900","ack":[{"id":"wamid.HBgLMTIxMjU1NTAxMDAVAgARGBIzRkZEMDA3NjdDQ0E1ODIyRUMA","chatId":"12125550100@c.us","status":"delivered","time":1764158400}]}
        """);

    private static readonly byte[] RawMeta = Encoding.UTF8.GetBytes("""
        {"object":"whatsapp_business_account","entry":[{"id":"1029384756","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
        "metadata":{"display_phone_number":"15550001234","phone_number_id":"1122334455"},
        "statuses":[{"id":"wamid.HBgLMTIxMjU1NTAxMDAVAgARGBIzRkZEMDA3NjdDQ0E1ODIyRUMA","status":"read","timestamp":"1764158400","recipient_id":"12125550100",
        "conversation":{"id":"c0ffee","origin":{"type":"authentication"}},"pricing":{"billable":true,"pricing_model":"CBP","category":"authentication"}}]}}]}]}
        """);

    private static readonly byte[] Hooks = Encoding.UTF8.GetBytes("""
        {"hooks":[{"id":"wamid.HBgLMTIxMjU1NTAxMDAVAgARGBIzRkZEMDA3NjdDQ0E1ODIyRUMA","status":"sent","timestamp":1764158400,"recipient_id":"12125550100"}]}
        """);

    [Benchmark(Baseline = true)]
    public int JsonDocumentParseOnly()
    {
        using var document = JsonDocument.Parse(NormalisedAck);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark]
    public WebhookParseResult NormalisedAckStatus() => WebhookPayloadParser.Parse(NormalisedAck);

    [Benchmark]
    public WebhookParseResult RawMetaStatus() => WebhookPayloadParser.Parse(RawMeta);

    [Benchmark]
    public WebhookParseResult HooksStatus() => WebhookPayloadParser.Parse(Hooks);
}
