using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Sending;

/// <summary>Each outcome class, produced by a real HTTP server answering what the sandbox and 1MSG answer.</summary>
public sealed class SendOutcomeTests
{
    private static async Task<SendResult> SendAgainst(Scripted answer, TemplateReference? template = null, Action<OneMsgOptions>? tweak = null)
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Enqueue("sendTemplate", answer);
        await using var harness = ClientHarness.Create(server.BaseUrl, tweak);
        return await harness.Client.SendAuthenticationCodeAsync(
            Samples.Phone, Samples.Code, template ?? Samples.Template, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Sent_true_with_an_id_is_accepted()
    {
        var result = await SendAgainst(Scripted.Json(200, Samples.Accepted));

        var accepted = Assert.IsType<SendAccepted>(result);
        Assert.Equal("wamid.HBgMNTUxMTk5OTk5ODg4OBUCABEYEjhCRkQ2RUIzNkVGMjMxOTZCQwA=", accepted.MessageId);
        Assert.Equal("Sent to 5511999998888@c.us", accepted.Message);
        Assert.Equal("Message has been sent to the provider", accepted.Description);
        Assert.Equal(200, accepted.HttpStatus);
    }

    [Fact]
    public async Task Sent_false_with_a_job_id_is_queued()
    {
        var result = await SendAgainst(Scripted.Json(200, """{"sent":false,"message":"Queued","jobId":"job-17"}"""));

        Assert.Equal("job-17", Assert.IsType<SendQueued>(result).JobId);
    }

    [Fact]
    public async Task Sent_false_without_a_job_is_rejected_with_1msg_words()
    {
        var result = await SendAgainst(Scripted.Json(200, """{"sent":false,"message":"Recipient has not opted in","description":"no opt-in"}"""));

        var rejected = Assert.IsType<SendRejected>(result);
        Assert.Equal("Recipient has not opted in", rejected.Message);
        Assert.Equal("no opt-in", rejected.Description);
    }

    [Theory]
    [InlineData(401, """{"error":"Wrong token \"abc\" for channel \"359900\". Please provide token as a GET parameter."}""", SendFailureKind.Unauthorized)]
    [InlineData(403, "Blocked: the channel subscription limit is exceeded", SendFailureKind.Unauthorized)]
    [InlineData(400, """{"message":"template is not defined"}""", SendFailureKind.TemplateNotFound)]
    [InlineData(422, """{"message":"namespace is not defined"}""", SendFailureKind.MissingNamespace)]
    [InlineData(400, """{"message":"template otp_code with language en does not exist (132001)"}""", SendFailureKind.TemplateNotFound)]
    [InlineData(400, """{"error":{"message":"(#132001) Template name does not exist in the translation","type":"OAuthException","code":132001}}""", SendFailureKind.TemplateNotFound)]
    [InlineData(404, """{"message":"Template not found"}""", SendFailureKind.TemplateNotFound)]
    [InlineData(400, """{"message":"template otp_code is not approved (status: paused)"}""", SendFailureKind.TemplateNotApproved)]
    [InlineData(422, """{"description":"The template was rejected by Meta"}""", SendFailureKind.TemplateNotApproved)]
    [InlineData(422, """{"message":"Number of parameters does not match the expected number of params (132000): body: number of localizable_params (0) does not match the expected number of params (1)"}""", SendFailureKind.ParameterMismatch)]
    [InlineData(400, """{"error":"Wrong params"}""", SendFailureKind.ParameterMismatch)]
    [InlineData(400, """{"message":"Wrong phone number 123"}""", SendFailureKind.InvalidPhone)]
    [InlineData(400, """{"error":{"error_user_msg":"Recipient chatId is not valid"}}""", SendFailureKind.InvalidPhone)]
    [InlineData(400, """{"error":"Bad request"}""", SendFailureKind.InvalidRequest)]
    [InlineData(500, """{"error":"Internal server error"}""", SendFailureKind.Ambiguous)]
    [InlineData(502, "Bad Gateway", SendFailureKind.Ambiguous)]
    [InlineData(200, "<html>maintenance</html>", SendFailureKind.Unknown)]
    [InlineData(200, """{"sent":true}""", SendFailureKind.Unknown)]
    [InlineData(302, "", SendFailureKind.Unknown)]
    public async Task Failures_are_classified_from_status_and_words(int status, string body, SendFailureKind expected)
    {
        var result = await SendAgainst(Scripted.Json(status, body), tweak: o => o.MaxRetries = 0);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(expected, failed.Kind);
        Assert.Equal(status, failed.HttpStatus);
        Assert.False(string.IsNullOrWhiteSpace(failed.Message));
    }

    [Fact]
    public async Task Template_names_that_contain_keywords_do_not_confuse_the_classifier()
    {
        var template = new TemplateReference("phone_params_otp", "ns_phone", "en");

        var result = await SendAgainst(
            Scripted.Json(400, """{"message":"template phone_params_otp with language en does not exist"}"""), template);

        Assert.Equal(SendFailureKind.TemplateNotFound, Assert.IsType<SendFailed>(result).Kind);
    }

    [Fact]
    public async Task Rate_limit_with_a_long_Retry_After_comes_back_at_once_with_the_delay()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("sendTemplate", _ => new Scripted(429, """{"error":"Too many requests"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = "120" }));
        await using var harness = ClientHarness.Create(server.BaseUrl);

        var result = await harness.Client.SendAuthenticationCodeAsync(Samples.Phone, Samples.Code, Samples.Template, cancellationToken: TestContext.Current.CancellationToken);

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.RateLimited, failed.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), failed.RetryAfter);
        Assert.True(failed.IsRetryable);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Retry_After_as_an_http_date_is_read_as_a_delay()
    {
        var until = TimeProvider.System.GetUtcNow().AddMinutes(3);
        var result = await SendAgainst(
            new Scripted(429, """{"error":"Too many requests"}""", Headers: new Dictionary<string, string> { ["Retry-After"] = until.ToString("R") }),
            tweak: o => o.MaxRetries = 0);

        var wait = Assert.IsType<SendFailed>(result).RetryAfter;
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(170), TimeSpan.FromSeconds(181));
    }

    [Fact]
    public async Task Raw_body_is_kept_truncated()
    {
        var huge = "{\"message\":\"template is not defined\",\"pad\":\"" + new string('x', 10_000) + "\"}";

        var result = await SendAgainst(Scripted.Json(400, huge));

        Assert.Equal(SendResult.MaxRawBodyLength, result.RawBody!.Length);
    }

    [Fact]
    public async Task Code_and_token_echoed_by_1msg_are_redacted_from_the_result()
    {
        var body = $$"""{"message":"Number of parameters does not match (132000): got [{{Samples.Code}}] with token {{ClientHarness.Token}}"}""";

        var result = await SendAgainst(Scripted.Json(422, body));

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.ParameterMismatch, failed.Kind);
        Assert.DoesNotContain(Samples.Code, failed.ToString());
        Assert.DoesNotContain(ClientHarness.Token, failed.ToString());
        Assert.Contains("***", failed.Message);
    }

    [Fact]
    public async Task Wrong_token_answer_never_carries_the_token_into_the_result()
    {
        var body = $$"""{"error":"Wrong token \"{{ClientHarness.Token}}\" for channel \"359900\". Please provide token as a GET parameter."}""";

        var result = await SendAgainst(Scripted.Json(401, body));

        var failed = Assert.IsType<SendFailed>(result);
        Assert.Equal(SendFailureKind.Unauthorized, failed.Kind);
        Assert.DoesNotContain(ClientHarness.Token, failed.ToString());
        Assert.DoesNotContain("Zq9xW2vL7pK4", failed.ToString());
        Assert.Contains("OneMsg:Token", failed.Message);
    }

    [Fact]
    public void Missing_namespace_wins_over_template_not_defined_only_when_none_was_sent()
    {
        var withNamespace = new SendContext("otp_code", "ns", null, []);
        var withoutNamespace = new SendContext("otp_code", null, null, []);

        Assert.Equal(SendFailureKind.TemplateNotFound, SendOutcomeClassifier.ClassifyRefusal("template is not defined", withNamespace));
        Assert.Equal(SendFailureKind.MissingNamespace, SendOutcomeClassifier.ClassifyRefusal("template is not defined", withoutNamespace));
        Assert.Equal(SendFailureKind.MissingNamespace, SendOutcomeClassifier.ClassifyRefusal("namespace is not defined", withNamespace));
    }
}
