using OtpGate.OneMsg.Channel;
using OtpGate.OneMsg.Tests.Support;
using OtpGate.Sandbox;

namespace OtpGate.OneMsg.Tests.Channel;

/// <summary>
/// The client reads <c>webhookUrl</c> in every form seen from 1MSG (a string, an array, a comma-separated string,
/// null), each played by the sandbox (<see cref="SandboxOptions.WebhookUrlForm"/>), not by a scripted answer.
/// </summary>
public sealed class WebhookUrlFormTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<WebhookUrlForm, int> Forms()
    {
        var data = new TheoryData<WebhookUrlForm, int>();
        foreach (var form in Enum.GetValues<WebhookUrlForm>())
        {
            foreach (var count in new[] { 0, 1, 3 })
            {
                data.Add(form, count);
            }
        }

        return data;
    }

    private static string[] Urls(int count) => [.. Enumerable.Range(1, count).Select(i => $"https://h{i}.example/hook")];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Webhook_and_settings_read_the_same_list_whatever_the_form(WebhookUrlForm form, int count)
    {
        await using var harness = await SandboxClient.StartAsync(o =>
        {
            o.WebhookUrlForm = form;
            foreach (var url in Urls(count))
            {
                o.WebhookUrls.Add(url);
            }
        });

        Assert.Equal(Urls(count), await harness.Client.GetWebhookUrlsAsync(Ct));
        Assert.Equal(Urls(count), (await harness.Client.GetSettingsAsync(Ct)).WebhookUrls);
    }

    [Theory]
    [InlineData(WebhookUrlForm.OneMsg)]
    [InlineData(WebhookUrlForm.Array)]
    [InlineData(WebhookUrlForm.CommaSeparated)]
    [InlineData(WebhookUrlForm.NullWhenEmpty)]
    public async Task Adding_our_url_keeps_the_others_in_every_form(WebhookUrlForm form)
    {
        const string Inbox = "https://app.example/service/inbox/12106";
        await using var harness = await SandboxClient.StartAsync(o =>
        {
            o.WebhookUrlForm = form;
            o.WebhookUrls.Add(Inbox);
        });

        var list = await harness.Client.AddWebhookUrlAsync("https://ours.example/hook", Ct);
        await harness.Client.UpdateSettingsAsync(new ChannelSettingsUpdate { AckNotificationsOn = true, RawHooks = false }, Ct);

        Assert.Equal([Inbox, "https://ours.example/hook"], list);
        Assert.Equal(list, await harness.Client.GetWebhookUrlsAsync(Ct));
    }

    [Fact]
    public async Task Removing_the_last_url_leaves_an_empty_list()
    {
        await using var harness = await SandboxClient.StartAsync(o => o.WebhookUrls.Add("https://ours.example/hook"));

        Assert.Empty(await harness.Client.RemoveWebhookUrlAsync("https://ours.example/hook", Ct));
        Assert.Empty(await harness.Client.GetWebhookUrlsAsync(Ct));
    }
}
