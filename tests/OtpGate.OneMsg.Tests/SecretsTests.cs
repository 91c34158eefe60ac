using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests;

/// <summary>The token, the code and whole phone numbers never reach a log line, an exception or a printed result.</summary>
public sealed class SecretsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string WrongToken => $$"""{"error":"Wrong token \"{{ClientHarness.Token}}\" for channel \"359900\". Please provide token as a GET parameter."}""";

    [Fact]
    public async Task Nothing_secret_is_logged_at_trace_level_across_every_kind_of_call()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", 200, Samples.Accepted);
        server.Enqueue("sendTemplate", 200, """{"sent":false,"message":"Recipient 5511999998888 has not opted in"}""");
        server.Enqueue("sendTemplate", new Scripted(429, """{"error":"Too many requests"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }));
        server.Enqueue("sendTemplate", 422, $$"""{"message":"Number of parameters does not match (132000): [{{Samples.Code}}]"}""");
        server.Enqueue("sendTemplate", 401, WrongToken);
        server.Always("templates", 401, WrongToken);
        server.Always("webhook", 200, """{"webhookUrl":[]}""");
        await using var harness = ClientHarness.Create(server.BaseUrl);

        for (var i = 0; i < 4; i++)
        {
            await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: Ct);
        }

        await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetTemplatesAsync(Ct));
        await harness.Client.AddWebhookUrlAsync("https://otpgate.example/webhooks/1msg/s", Ct);

        var logs = harness.AllLogText;
        Assert.Contains("answered HTTP 429", logs); // every attempt was logged...
        Assert.Contains("Retrying", logs);
        Assert.DoesNotContain(ClientHarness.Token, logs); // ...but never the token, not even in structured state,
        Assert.DoesNotContain(Samples.Code, logs); // the code,
        Assert.DoesNotContain(Samples.Phone, logs); // or a whole phone number,
        Assert.Contains(Samples.MaskedPhone, logs);
        Assert.DoesNotContain(Samples.MessageId, logs); // nor a whole message id, which encodes the number.
        Assert.Contains(MessageIdMasking.Fingerprint(Samples.MessageId), logs);
    }

    [Fact]
    public async Task Connection_failures_log_no_secret_either()
    {
        await using var harness = ClientHarness.Create(ScriptedServer.ClosedPortUrl());

        var result = await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetStatusAsync(Ct));

        Assert.DoesNotContain(ClientHarness.Token, harness.AllLogText);
        Assert.DoesNotContain(Samples.Code, harness.AllLogText);
        Assert.DoesNotContain(ClientHarness.Token, error.ToString());
        Assert.DoesNotContain(Samples.Code, result.ToString());
    }

    [Fact]
    public async Task Results_and_exceptions_print_without_the_token_even_when_1msg_echoes_it()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", 401, WrongToken);
        server.Always("settings", 403, WrongToken);
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var result = await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<OneMsgException>(() => harness.Client.GetSettingsAsync(Ct));

        Assert.Equal(SendFailureKind.Unauthorized, Assert.IsType<SendFailed>(result).Kind);
        Assert.DoesNotContain(ClientHarness.Token, result.ToString());
        Assert.DoesNotContain(ClientHarness.Token, error.ToString());
        Assert.DoesNotContain(ClientHarness.Token, error.ResponseBody);
    }

    [Fact]
    public void Options_print_without_the_token()
    {
        var options = new OneMsgOptions { ChannelId = "359900", Token = ClientHarness.Token };

        Assert.DoesNotContain(ClientHarness.Token, options.ToString());
        Assert.Contains("359900", options.ToString());
    }

    [Theory]
    [InlineData("Wrong token \"abcdefgh1234\" for channel \"1\"", "Wrong token \"***\" for channel \"1\"")]
    [InlineData("{\"error\":\"Wrong token \\\"abcdefgh1234\\\" for channel\"}", "{\"error\":\"Wrong token \\\"***\\\" for channel\"}")]
    [InlineData("token: 'xxx7i1crxjxpkxxx'", "token: '***'")]
    [InlineData("no secrets here", "no secrets here")]
    public void Quoted_tokens_in_1msg_texts_are_masked_even_when_partly_hidden(string text, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(text, token: null));
    }

    [Fact]
    public void Log_text_masks_phone_numbers_but_keeps_error_codes()
    {
        Assert.Equal("Sent to 55*********88@c.us (131026)", Redactor.ForLog("Sent to 5511999998888@c.us (131026)", token: null));
    }

    [Fact]
    public void Log_text_cuts_message_ids_to_their_fingerprint()
    {
        Assert.Equal($"Message {MessageIdMasking.Fingerprint(Samples.MessageId)} not found", Redactor.ForLog($"Message {Samples.MessageId} not found", token: null));
    }
}
