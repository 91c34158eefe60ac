using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg.Tests;

/// <summary>1MSG's answers to a send, classified into the engine's terms: what the outbox does next depends on nothing else.</summary>
public sealed class SendClassificationTests
{
    [Fact]
    public void An_accepted_send_gives_its_message_id()
    {
        var outcome = SendClassification.Classify(new SendAccepted("wamid.abc", "Sent", null, 200, null));

        Assert.Equal(new CodeAccepted("wamid.abc"), outcome);
    }

    [Fact]
    public void A_job_without_a_message_id_is_queued_by_the_channel()
    {
        Assert.Equal(new CodeQueuedByChannel("job-7"), SendClassification.Classify(new SendQueued("job-7", null, 200, null)));
    }

    [Fact]
    public void Sent_false_is_a_permanent_rejection()
    {
        var outcome = SendClassification.Classify(new SendRejected("Template requires a button parameter", null, 200, null));

        Assert.Equal(new CodeRejected(FailureReason.Rejected, Permanent: true, "Template requires a button parameter"), outcome);
    }

    [Theory]
    [InlineData("Message not sent: not opted in")]
    [InlineData("Recipient has not opted-in")]
    [InlineData("The number is not a WhatsApp user")]
    public void Sent_false_for_a_number_that_cannot_get_it_is_undeliverable_so_it_may_fall_back_to_sms(string message)
    {
        var outcome = SendClassification.Classify(new SendRejected(message, null, 200, null));

        Assert.Equal(new CodeRejected(FailureReason.Undeliverable, Permanent: true, message), outcome);
    }

    [Theory]
    [InlineData(SendFailureKind.InvalidPhone, FailureReason.InvalidPhone)]
    [InlineData(SendFailureKind.TemplateNotFound, FailureReason.TemplateNotFound)]
    [InlineData(SendFailureKind.TemplateNotApproved, FailureReason.TemplateNotApproved)]
    [InlineData(SendFailureKind.MissingNamespace, FailureReason.MissingNamespace)]
    [InlineData(SendFailureKind.ParameterMismatch, FailureReason.ParameterMismatch)]
    [InlineData(SendFailureKind.InvalidRequest, FailureReason.InvalidRequest)]
    [InlineData(SendFailureKind.Unauthorized, FailureReason.Unauthorized)]
    public void A_refused_request_is_a_permanent_rejection_with_its_reason(SendFailureKind kind, FailureReason reason)
    {
        var outcome = SendClassification.Classify(new SendFailed(kind, "refused", null, 400, null));

        Assert.Equal(new CodeRejected(reason, Permanent: true, "refused"), outcome);
    }

    [Theory]
    [InlineData(SendFailureKind.RateLimited)]
    [InlineData(SendFailureKind.Transient)]
    public void A_send_that_surely_never_left_is_retried_later_when_1MSG_says(SendFailureKind kind)
    {
        var outcome = SendClassification.Classify(new SendFailed(kind, "busy", TimeSpan.FromSeconds(7), 429, null));

        var later = Assert.IsType<CodeRetryLater>(outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), later.After);
        Assert.Equal($"1MSG was unavailable ({kind})", later.Why);
        Assert.Equal("busy", later.Detail);
    }

    [Theory]
    [InlineData(SendFailureKind.Ambiguous)]
    [InlineData(SendFailureKind.Unknown)]
    public void A_timeout_or_5xx_after_the_request_left_is_an_unknown_outcome(SendFailureKind kind)
    {
        Assert.Equal(new CodeOutcomeUnknown("timed out"), SendClassification.Classify(new SendFailed(kind, "timed out", null, 504, null)));
    }
}
