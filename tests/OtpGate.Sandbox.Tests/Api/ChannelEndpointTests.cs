using System.Net;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Api;

public sealed class ChannelEndpointTests
{
    [Fact]
    public async Task Templates_lists_the_authentication_template_as_meta_reads_it_back()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.GetAsync("templates");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(1, answer.Json["total"]!.GetValue<int>());
        var template = answer.Json["templates"]![0]!;
        Assert.Equal("registration_otp", template["name"]!.GetValue<string>());
        Assert.Equal("otpgate_sandbox", template["namespace"]!.GetValue<string>());
        Assert.Equal("en", template["language"]!.GetValue<string>());
        Assert.Equal("AUTHENTICATION", template["category"]!.GetValue<string>());
        Assert.Equal("approved", template["status"]!.GetValue<string>());
        Assert.Equal("NONE", template["rejected_reason"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(template["id"]!.GetValue<string>()));
        var components = template["components"]!.AsArray();
        Assert.Equal("BODY", components[0]!["type"]!.GetValue<string>());
        Assert.Equal(
            "{{1}} is your verification code. For your security, do not share this code with anyone.",
            components[0]!["text"]!.GetValue<string>());
        Assert.Equal("FOOTER", components[1]!["type"]!.GetValue<string>());
        Assert.Equal("This code expires in 10 minutes.", components[1]!["text"]!.GetValue<string>());
        Assert.Equal("BUTTONS", components[2]!["type"]!.GetValue<string>());
        var button = components[2]!["buttons"]![0]!;
        Assert.Equal("URL", button["type"]!.GetValue<string>());
        Assert.Equal("Copy code", button["text"]!.GetValue<string>());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(button["url"]!.GetValue<string>(), @"\{\{1\}\}"));
    }

    [Fact]
    public async Task Templates_pages_with_limit_and_offset()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.Templates.Add(new Templates.SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "es" });
            o.Templates.Add(new Templates.SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "pt_BR" });
        });

        var first = await sandbox.Api.GetAsync("templates?limit=2");
        var second = await sandbox.Api.GetAsync("templates?limit=2&offset=2");

        Assert.Equal(3, first.Json["total"]!.GetValue<int>());
        Assert.Equal(["en", "es"], first.Json["templates"]!.AsArray().Select(t => t!["language"]!.GetValue<string>()));
        Assert.Equal(["pt_BR"], second.Json["templates"]!.AsArray().Select(t => t!["language"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Status_is_connected_and_active()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal("""{"status":"connected","accountStatus":"active","mm_lite_available":false}""", (await sandbox.Api.GetAsync("status")).Text);
    }

    [Theory]
    [InlineData("GET", "sendMessage")]
    [InlineData("POST", "readMessage")]
    [InlineData("DELETE", "me")]
    [InlineData("GET", "sendTemplate")]
    [InlineData("DELETE", "webhook")]
    public async Task Unknown_method_is_answered_404(string verb, string method)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(verb), $"{sandbox.Api.ChannelUrl}/{method}?token=sandbox-token");
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Api.SendRequestAsync(request)).Status);
    }

    [Fact]
    public async Task Webhook_accepts_a_string_or_an_array_and_replaces_the_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var one = await sandbox.Api.PostRawAsync("webhook", """{"webhookUrl":"https://a.example/hook"}""");
        var two = await sandbox.Api.PostRawAsync("webhook", """{"webhookUrl":["https://b.example/hook","https://c.example/hook"]}""");
        var read = await sandbox.Api.GetAsync("webhook");

        Assert.Equal("""{"set":true,"message":"https://a.example/hook"}""", one.Text);
        Assert.Equal("""{"set":true,"message":"https://b.example/hook,https://c.example/hook"}""", two.Text);
        Assert.Equal(["https://b.example/hook", "https://c.example/hook"], read.Json["webhookUrl"]!.AsArray().Select(u => u!.GetValue<string>()));
        var status = read.Json["webhookStatuses"]![0]!;
        Assert.Equal("https://b.example/hook", status["url"]!.GetValue<string>());
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal(0, status["failures"]!.GetValue<int>());
        Assert.Null(status["lastError"]);
    }

    [Fact]
    public async Task More_than_five_webhook_urls_are_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var urls = new JsonArray([.. Enumerable.Range(1, 6).Select(i => (JsonNode)$"https://h{i}.example/hook")]);

        var answer = await sandbox.Api.PostRawAsync("webhook", new JsonObject { ["webhookUrl"] = urls }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("", (await sandbox.Api.GetAsync("webhook")).Json["webhookUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_url_that_is_not_absolute_http_is_refused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostRawAsync("webhook", """{"webhookUrl":"ftp://a.example/hook"}""");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task Settings_post_changes_only_the_fields_sent_and_answers_all_of_them()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var before = await sandbox.Api.GetAsync("settings");

        var changed = await sandbox.Api.PostRawAsync("settings", """{"rawHooks":true}""");
        var urls = await sandbox.Api.PostRawAsync("settings", """{"webhookUrl":["https://a.example/hook"],"ackNotificationsOn":false}""");

        Assert.Equal("""{"webhookUrl":"","ackNotificationsOn":true,"rawHooks":false,"guaranteedHooks":true}""", before.Text);
        Assert.Equal("""{"webhookUrl":"","ackNotificationsOn":true,"rawHooks":true,"guaranteedHooks":true,"update":{"rawHooks":true}}""", changed.Text);
        Assert.Equal(
            """{"webhookUrl":"https://a.example/hook","ackNotificationsOn":false,"rawHooks":true,"guaranteedHooks":true,"update":{"webhookUrl":"https://a.example/hook","ackNotificationsOn":false}}""",
            urls.Text);
        Assert.Equal(
            """{"webhookUrl":"https://a.example/hook","ackNotificationsOn":false,"rawHooks":true,"guaranteedHooks":true}""",
            (await sandbox.Api.GetAsync("settings")).Text);
    }

    [Fact]
    public async Task Settings_with_a_non_boolean_flag_is_refused_and_changes_nothing()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.PostRawAsync("settings", """{"rawHooks":true,"ackNotificationsOn":"yes"}""");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.False((await sandbox.Api.GetAsync("settings")).Json["rawHooks"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Initial_webhook_settings_come_from_options()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.WebhookUrls.Add("https://a.example/hook");
            o.RawHooks = true;
            o.AckNotificationsOn = false;
        });
        Assert.Equal(
            """{"webhookUrl":"https://a.example/hook","ackNotificationsOn":false,"rawHooks":true,"guaranteedHooks":true}""",
            (await sandbox.Api.GetAsync("settings")).Text);
    }

    [Fact]
    public async Task HookInfo_of_an_unknown_id_is_an_empty_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal("""{"hooks":[]}""", (await sandbox.Api.GetAsync("hookInfo?messageId=wamid.unknown")).Text);
    }

    [Fact]
    public async Task Missing_namespace_status_400_switches_to_template_is_not_defined()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MissingNamespaceStatus = 400);
        var answer = await sandbox.Api.SendAsync(Requests.Otp().Without("namespace"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("""{"message":"template is not defined"}""", answer.Text);
    }

    [Fact]
    public async Task Invalid_options_stop_the_sandbox_from_starting()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => SandboxServer.StartAsync(o => o.MissingNamespaceStatus = 418, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("MissingNamespaceStatus", error.Message);
    }
}
