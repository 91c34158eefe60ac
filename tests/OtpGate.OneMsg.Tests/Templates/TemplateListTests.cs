using System.Globalization;
using System.Text.Json;
using OtpGate.OneMsg.Templates;
using OtpGate.OneMsg.Tests.Support;

namespace OtpGate.OneMsg.Tests.Templates;

public sealed class TemplateListTests
{
    // What 1MSG really sends, mixed on one page: components as a JSON string, language as an object,
    // namespace under its other names or missing, status in lower case.
    private const string TolerantPage = """
        {
          "total": 4,
          "templates": [
            {
              "id": "t1", "name": "otp_code", "namespace": "ca300906_cfbc", "language": "en", "category": "AUTHENTICATION",
              "status": "approved", "rejected_reason": "NONE",
              "components": [
                { "type": "BODY", "text": "{{1}} is your verification code. For your security, do not share this code." },
                { "type": "FOOTER", "text": "This code expires in 10 minutes." },
                { "type": "BUTTONS", "buttons": [ { "type": "URL", "text": "Copy code", "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code={{1}}" } ] }
              ]
            },
            {
              "id": "t2", "name": "otp_code", "message_template_namespace": "ca300906_cfbc", "language": { "code": "pt_BR", "policy": "deterministic" },
              "category": "authentication", "status": "Approved",
              "components": "[{\"type\":\"body\",\"text\":\"{{1}} é o seu código de verificação.\"},{\"type\":\"buttons\",\"buttons\":[{\"type\":\"otp\",\"otp_type\":\"copy_code\",\"text\":\"Copiar código\"}]}]"
            },
            {
              "id": "t3", "name": "welcome", "messageTemplateNamespace": "ca300906_cfbc", "language": "en", "category": "MARKETING", "status": "paused",
              "components": [ { "type": "BODY", "text": "Hello {{1}}, welcome to {{2}}! {{1}}" } ]
            },
            { "id": "t4", "name": "no_namespace", "language": "es", "category": "UTILITY", "status": "PENDING", "components": [] },
            { "language": "en", "status": "APPROVED" },
            "not an object"
          ]
        }
        """;

    private static async Task<IReadOnlyList<TemplateInfo>> ReadFrom(ScriptedServer server)
    {
        await using var harness = ClientHarness.Create(server.BaseUrl);
        return await harness.Client.GetTemplatesAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Templates_are_read_whatever_shape_1msg_uses()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("templates", 200, TolerantPage);

        var templates = await ReadFrom(server);

        Assert.Equal(["t1", "t2", "t3", "t4"], templates.Select(t => t.Id));
        var (english, portuguese, welcome, pending) = (templates[0], templates[1], templates[2], templates[3]);
        Assert.Equal(("otp_code", "ca300906_cfbc", "en", "AUTHENTICATION", "APPROVED", "NONE"),
            (english.Name, english.Namespace, english.Language, english.Category, english.Status, english.RejectedReason));
        Assert.Equal(("pt_BR", "ca300906_cfbc", "AUTHENTICATION"), (portuguese.Language, portuguese.Namespace, portuguese.Category));
        Assert.Equal(["BODY", "BUTTONS"], portuguese.Components.Select(c => c.Type));
        Assert.Equal(("OTP", "COPY_CODE"), (portuguese.Buttons[0].Type, portuguese.Buttons[0].OtpType));
        Assert.Equal("ca300906_cfbc", welcome.Namespace);
        Assert.Equal(2, welcome.BodyVariableCount);
        Assert.Equal("PAUSED", welcome.Status);
        Assert.False(welcome.IsApproved);
        Assert.True(english.IsApproved && portuguese.IsApproved);
        // Missing namespace, and every sibling shares one: it is filled in.
        Assert.Equal("ca300906_cfbc", pending.Namespace);
        Assert.Empty(pending.Components);
    }

    [Fact]
    public async Task Paging_asks_with_limit_and_offset_until_a_short_page()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("templates", request =>
        {
            var offset = int.Parse(request.Query.Split("offset=")[1], CultureInfo.InvariantCulture);
            return Scripted.Json(200, Page(offset, Math.Min(100, 150 - offset), total: 150));
        });

        var templates = await ReadFrom(server);

        Assert.Equal(150, templates.Count);
        Assert.Equal(150, templates.Select(t => t.Name).Distinct().Count());
        Assert.Equal(["?limit=100&offset=0", "?limit=100&offset=100"], server.Requests.Select(r => r.Query));
    }

    [Fact]
    public async Task Paging_stops_when_1msg_ignores_the_offset_and_repeats_a_page()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("templates", 200, Page(0, 100, total: null));

        var templates = await ReadFrom(server);

        Assert.Equal(100, templates.Count);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Namespace_is_not_guessed_when_siblings_disagree()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("templates", 200, """
            {"templates":[
              {"name":"a","namespace":"ns1","language":"en","status":"approved","components":[]},
              {"name":"b","namespace":"ns2","language":"en","status":"approved","components":[]},
              {"name":"c","language":"en","status":"approved","components":[]}]}
            """);

        var templates = await ReadFrom(server);

        Assert.Null(templates[2].Namespace);
        Assert.Null(templates[2].ToReference());
    }

    [Fact]
    public async Task Templates_answer_that_is_not_json_throws_a_permanent_exception()
    {
        await using var server = await ScriptedServer.StartAsync();
        server.Always("templates", 200, "<html>login</html>");

        var error = await Assert.ThrowsAsync<OneMsgException>(() => ReadFrom(server));

        Assert.False(error.IsTransient);
        Assert.Contains("not JSON", error.Message);
    }

    private static string Page(int offset, int count, int? total)
    {
        var items = Enumerable.Range(offset, count).Select(i => new Dictionary<string, object>
        {
            ["name"] = $"template_{i}", ["namespace"] = "ns", ["language"] = "en", ["status"] = "approved", ["category"] = "UTILITY",
        });
        var page = new Dictionary<string, object> { ["templates"] = items.ToArray() };
        if (total is { } t)
        {
            page["total"] = t;
        }

        return JsonSerializer.Serialize(page);
    }
}
