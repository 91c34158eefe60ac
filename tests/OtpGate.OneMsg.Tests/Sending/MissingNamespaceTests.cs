using System.Net.Http.Headers;
using System.Text;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Sending;

/// <summary>
/// A missing namespace, which 1MSG answers 422 "namespace is not defined" (the seed) or 400 "template is not defined"
/// (its n8n node's tests); the sandbox plays both (<c>Sandbox:MissingNamespaceStatus</c>). Our client never sends a
/// request without one, so the sandbox's own answer to such a request is fed to the client's classifier.
/// </summary>
public sealed class MissingNamespaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(422, "namespace is not defined")]
    [InlineData(400, "template is not defined")]
    public async Task Both_answers_are_a_missing_namespace_with_the_fix_spelled_out(int status, string said)
    {
        await using var harness = await SandboxClient.StartAsync(o => o.MissingNamespaceStatus = status);
        var (answerStatus, body) = await SendWithoutNamespaceAsync(harness);

        var result = SendOutcomeClassifier.FromResponse(answerStatus, body, null, new SendContext("registration_otp", null, ClientHarness.Token, ["123456"]));

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(status, answerStatus);
        Assert.Equal(SendFailureKind.MissingNamespace, failed.Kind);
        Assert.Contains(said, failed.Message);
        Assert.Contains("set it to the namespace GET templates lists for the template", failed.Message);
    }

    [Fact]
    public async Task A_namespace_that_is_not_the_templates_is_a_missing_namespace_with_the_fix()
    {
        await using var harness = await SandboxClient.StartAsync();

        var result = await harness.Client.SendAuthenticationCodeAsync(
            "12125550100", "123456", new TemplateReference("registration_otp", "another_namespace", "en"), cancellationToken: Ct);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.MissingNamespace, failed.Kind);
        Assert.Contains("set it to the namespace GET templates lists for the template", failed.Message);
    }

    [Fact]
    public async Task An_unknown_template_names_what_to_compare()
    {
        await using var harness = await SandboxClient.StartAsync();

        var result = await harness.Client.SendAuthenticationCodeAsync(
            "12125550100", "123456", new TemplateReference("no_such_template", "otpgate_sandbox", "en"), cancellationToken: Ct);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.TemplateNotFound, failed.Kind);
        Assert.Contains("compare both with what GET templates lists", failed.Message);
    }

    private static async Task<(int Status, string Body)> SendWithoutNamespaceAsync(SandboxClient harness)
    {
        const string Body = """
            {"phone":"12125550100","template":"registration_otp","language":{"policy":"deterministic","code":"en"},
             "params":[{"type":"body","parameters":[{"type":"text","text":"123456"}]},
                       {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"123456"}]}]}
            """;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.Sandbox.BaseUrl, $"{harness.Sandbox.ChannelId}/sendTemplate"))
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", harness.Sandbox.Token);
        using var response = await http.SendAsync(request, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
