using System.Net;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary><c>GET messages</c>'s query, as 1MSG's legacy contract describes each parameter.</summary>
public sealed class MessageListTests
{
    private static readonly string[] Phones = ["12125550141", "12125550142", "12125550141", "12125550143"];

    /// <summary>Four messages, one minute apart, on a fake clock.</summary>
    private static async Task<(TestSandbox Sandbox, List<string> Ids)> SendFourAsync()
    {
        var sandbox = await TestSandbox.StartFakeTimeAsync();
        List<string> ids = [];
        foreach (var phone in Phones)
        {
            ids.Add((await sandbox.Api.SendAsync(Requests.Otp(phone))).Json["id"]!.GetValue<string>());
            sandbox.Time!.Advance(TimeSpan.FromMinutes(1));
        }

        return (sandbox, ids);
    }

    private static async Task<List<string>> IdsAsync(TestSandbox sandbox, string query) =>
        [.. (await sandbox.Api.GetAsync("messages" + query)).Json["messages"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())];

    [Fact]
    public async Task Messages_are_numbered_oldest_first_and_filtered_by_chat()
    {
        var (sandbox, ids) = await SendFourAsync();
        await using var _ = sandbox;

        var all = (await sandbox.Api.GetAsync("messages")).Json["messages"]!.AsArray();

        Assert.Equal(ids, all.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal([1L, 2, 3, 4], all.Select(m => m!["messageNumber"]!.GetValue<long>()));
        Assert.Equal([ids[0], ids[2]], await IdsAsync(sandbox, "?chatId=12125550141@c.us"));
        Assert.Equal([ids[1]], await IdsAsync(sandbox, "?msgId=" + ids[1]));
    }

    [Fact]
    public async Task Limit_last_and_message_numbers_page_through()
    {
        var (sandbox, ids) = await SendFourAsync();
        await using var _ = sandbox;

        Assert.Equal(ids[..2], await IdsAsync(sandbox, "?limit=2"));
        Assert.Equal(ids[2..], await IdsAsync(sandbox, "?limit=2&lastMessageNumber=2"));
        Assert.Equal(ids[2..], await IdsAsync(sandbox, "?limit=2&last=true"));
        Assert.Equal(ids[1..3], await IdsAsync(sandbox, "?limit=2&firstMessageNumber=4"));
        Assert.Equal(ids, await IdsAsync(sandbox, "?limit=0"));
    }

    [Fact]
    public async Task Min_and_max_time_bound_the_acceptance_time_inclusively()
    {
        var (sandbox, ids) = await SendFourAsync();
        await using var _ = sandbox;
        var second = TestSandbox.Start.AddMinutes(1).ToUnixTimeSeconds();
        var third = TestSandbox.Start.AddMinutes(2).ToUnixTimeSeconds();

        Assert.Equal(ids[1..3], await IdsAsync(sandbox, $"?min_time={second}&max_time={third}"));
    }

    [Theory]
    [InlineData("?limit=-1")]
    [InlineData("?lastMessageNumber=x")]
    [InlineData("?min_time=1.5")]
    public async Task A_number_that_is_not_a_non_negative_integer_is_answered_400(string query)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var answer = await sandbox.Api.GetAsync("messages" + query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("non-negative integers", answer.Message);
    }

    [Fact]
    public async Task No_messages_is_an_empty_list()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        Assert.Equal("""{"messages":[]}""", (await sandbox.Api.GetAsync("messages")).Text);
    }
}
