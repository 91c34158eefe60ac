using System.Net;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Delivery;

/// <summary>Scenario 12125550110: 1MSG takes the send as a job and sends it later, under an id the caller never got.</summary>
public sealed class QueuedScenarioTests
{
    // 1MSG's own integration guidance: "A queued result may accompany a negative sent field. Preserve jobId as a queue
    // job identifier, not as a message ID. Do not resend simply because processing is pending." The answer's keys:
    private static readonly string[] QueuedAnswerKeys = ["sent", "message", "jobId"];

    [Fact]
    public async Task The_answer_is_sent_false_with_a_job_id_and_no_message_id()
    {
        await using var sandbox = await TestSandbox.StartFakeTimeAsync();

        var answer = await sandbox.Api.SendAsync(Requests.Otp("12125550110"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(QueuedAnswerKeys, answer.Json.AsObject().Select(p => p.Key));
        Assert.False(answer.Json["sent"]!.GetValue<bool>());
        Assert.Matches("^[0-9a-f]{24}$", answer.Json["jobId"]!.GetValue<string>());
        Assert.NotEqual(answer.Json["jobId"]!.GetValue<string>(), (await sandbox.Api.SendAsync(Requests.Otp("12125550110"))).Json["jobId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_job_leaves_after_the_queue_delay_and_its_statuses_are_pushed_under_a_fresh_message_id()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var sandbox = await TestSandbox.StartFakeTimeAsync(o => o.MessageEchoes = true);
        await sandbox.Api.PostRawAsync("webhook", """{"webhookUrl":"URL"}""".Replace("URL", receiver.Url("hooks"), StringComparison.Ordinal));

        var answer = await sandbox.Api.SendAsync(Requests.Otp("12125550110", "551234"));
        var message = Assert.Single(sandbox.Messages.GetMessages("12125550110"));
        Assert.Empty(message.Statuses);
        Assert.DoesNotContain(message.Id, answer.Text, StringComparison.Ordinal);

        sandbox.Time!.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(receiver.At("hooks"));
        sandbox.Time.Advance(TimeSpan.FromSeconds(0.1));
        await Wait.UntilAsync(() => receiver.At("hooks").Count == 1);
        foreach (var step in new[] { 1, 1, 2 })
        {
            sandbox.Time.Advance(TimeSpan.FromSeconds(step));
        }

        var read = await sandbox.Messages.WaitForMessageAsync("12125550110", m => m.Status == "read", Wait.Timeout());
        Assert.Equal([6.0, 7.0, 9.0], read.Statuses.Select(s => (s.At - read.AcceptedAt).TotalSeconds));
        await Wait.UntilAsync(() => receiver.Events("hooks").Count == 3);
        Assert.Equal(message.Id, receiver.At("hooks").OrderBy(r => r.Arrival).First().Body["messages"]![0]!["id"]!.GetValue<string>());
        Assert.All(receiver.Events("hooks"), e => Assert.Equal(message.Id, e.Id));
        Assert.Equal("551234", read.Code);
        Assert.Equal(1, sandbox.Messages.GetRequestCount("12125550110"));
    }
}
