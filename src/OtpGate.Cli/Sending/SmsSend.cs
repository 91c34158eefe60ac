using System.Security.Cryptography;
using OtpGate.Cli.Output;
using OtpGate.Channels.Sms;
using OtpGate.Verification;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Phones;

namespace OtpGate.Cli.Sending;

/// <summary>
/// <c>otpgate send --channel sms</c>: the code as the server's SMS channel sends it (the text, the sender, the validity
/// period), the outcome in the engine's words, and with <c>--wait</c> the SMS's status followed by asking Twilio.
/// </summary>
internal static class SmsSend
{
    public sealed record Request(string? Phone, string? Code, int? TtlSeconds, bool Wait, TimeSpan Timeout, TimeSpan Interval);

    /// <summary>What it prints with <c>--json</c>: the outcome (<c>accepted</c>, <c>rejected</c>, <c>retry_later</c>, <c>unknown</c>) and its words.</summary>
    public sealed record Report(string Outcome, string Channel, string Phone, string From, int TtlSeconds)
    {
        public string? MessageId { get; init; }

        public string? Code { get; init; }

        public string? Reason { get; init; }

        public string? Message { get; init; }

        public string? Delivery { get; init; }

        public string? DeliveryDetail { get; init; }
    }

    public static async Task<int> RunAsync(CommandContext context, Request request, CancellationToken cancellationToken)
    {
        using var sms = SmsConnection.Open(context)
            ?? throw CliException.Usage("No SMS channel is configured: set Sms:Twilio:AccountSid, Sms:Twilio:AuthToken and Sms:Twilio:From (or MessagingServiceSid).");
        var (phone, code, generated) = Prepare(context, request);
        var ttl = TimeSpan.FromSeconds(request.TtlSeconds ?? SendCommand.DefaultTtlSeconds(context.Options<VerificationOptions>()));
        var message = new CodeMessage(phone, code, "en", ttl, null, CodeText.Render(code, null, ttl));
        var from = sms.Sender;
        var outcome = await sms.Channel.SendCodeAsync(message, cancellationToken);
        if (sms.IsStandIn && outcome is CodeRetryLater { After: null })
        {
            // Nothing answered at all: the embedded default's server is not running there.
            throw new CliException(ExitCodes.Unexpected,
                $"No OtpGate server answers at {context.ServerUrl().GetLeftPart(UriPartial.Authority)}, so its sandbox's SMS stand-in cannot be reached: start one with `otpgate serve` (or set {CommandContext.ServerUrlVariable}), or configure the Sms section.");
        }

        var report = From(outcome, new Report("accepted", SmsChannel.ChannelName, phone.E164, from, (int)ttl.TotalSeconds) { Code = generated ? code : null });
        if (outcome is CodeAccepted accepted && request.Wait)
        {
            report = await WaitAsync(context, sms.Channel, accepted.MessageId, request, report, cancellationToken);
        }

        Write(context, report);
        return report switch
        {
            { Outcome: "accepted", Delivery: null or "delivered" or "read" } => ExitCodes.Success,
            { Outcome: "accepted", Delivery: "failed" } => throw CliException.Refused($"The SMS {report.MessageId} was not delivered: {report.DeliveryDetail}."),
            { Outcome: "accepted" } => throw CliException.Refused($"The SMS {report.MessageId} was not delivered within {Durations.Format(request.Timeout)} (last status: {report.Delivery})."),
            { Outcome: "unknown" } => throw new CliException(ExitCodes.Refused, $"{report.Message} The outcome is unclear: check the phone before sending again, or the user may receive two codes."),
            _ => throw CliException.Refused($"{report.Message}"),
        };
    }

    private static (PhoneNumber Phone, string Code, bool Generated) Prepare(CommandContext context, Request request)
    {
        var phone = PhoneNumberParser.Parse(request.Phone);
        if (!phone.IsValid)
        {
            throw CliException.Usage(phone.Message);
        }

        if (request.TtlSeconds is { } seconds && seconds is < 1 or > 36_000)
        {
            throw CliException.Usage($"--ttl is {seconds}; Twilio keeps an SMS in its queue 1 to 36000 seconds.");
        }

        if (request.Code is { } given)
        {
            return given.Length is >= 4 and <= 10 && given.All(char.IsAsciiDigit)
                ? (phone.Number, given, false)
                : throw CliException.Usage("--code must be 4 to 10 digits.");
        }

        var length = context.Options<VerificationOptions>().CodeLength;
        if (length is < 4 or > 10)
        {
            throw CliException.Usage($"Verification:CodeLength is {length}; it must be between 4 and 10 digits.");
        }

        return (phone.Number, string.Concat(Enumerable.Range(0, length).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10)))), true);
    }

    private static Report From(CodeSendOutcome outcome, Report report) => outcome switch
    {
        CodeAccepted accepted => report with { MessageId = accepted.MessageId },
        CodeRejected rejected => report with { Outcome = "rejected", Reason = rejected.Reason.ToWireName(), Message = rejected.Detail },
        CodeRetryLater later => report with { Outcome = "retry_later", Message = $"{later.Why}; nothing was sent. {later.Detail} Try again {(later.After is { } after ? "in " + Durations.Format(after) : "a little later")}." },
        CodeOutcomeUnknown unknown => report with { Outcome = "unknown", Message = unknown.Detail },
        _ => report with { Outcome = "unknown", Message = "The SMS channel answered something this command does not understand." },
    };

    private static async Task<Report> WaitAsync(CommandContext context, SmsChannel channel, string messageId, Request request, Report report, CancellationToken cancellationToken)
    {
        await context.Console.Error.WriteLineAsync($"Waiting for delivery (up to {Durations.Format(request.Timeout)})…");
        var started = context.Time.GetTimestamp();
        string? last = null;
        while (true)
        {
            DeliveryNews? news = null;
            try
            {
                news = await channel.PollDeliveryAsync(messageId, cancellationToken) is [.., var latest] ? latest : null;
            }
            catch (ChannelUnavailableException e)
            {
                await context.Console.Error.WriteLineAsync($"  {e.Message} Trying again.");
            }

            var word = news is null ? last : news.Event.ToString().ToLowerInvariant();
            if (word != last && word is not null)
            {
                await context.Console.Error.WriteLineAsync($"  {word,-10} after {Durations.Format(context.Time.GetElapsedTime(started))}");
                last = word;
            }

            var elapsed = context.Time.GetElapsedTime(started);
            if (news is { Event: DeliveryEvent.Delivered or DeliveryEvent.Read or DeliveryEvent.Failed } || elapsed >= request.Timeout)
            {
                return report with { Delivery = word ?? "accepted", DeliveryDetail = news?.Failure?.Text };
            }

            await Task.Delay(request.Timeout - elapsed < request.Interval ? request.Timeout - elapsed : request.Interval, context.Time, cancellationToken);
        }
    }

    private static void Write(CommandContext context, Report report)
    {
        if (context.Json)
        {
            context.WriteJson(report);
            return;
        }

        if (report.Outcome != "accepted")
        {
            return;
        }

        var style = context.Style;
        context.Out.WriteLine($"{style.Green("Sent by SMS")} to {report.Phone} from {report.From}.");
        context.Out.WriteLine($"  {"message id",-12}{report.MessageId}");
        if (report.Code is not null)
        {
            context.Out.WriteLine($"  {"code",-12}{report.Code}");
        }

        if (report.Delivery is not null)
        {
            context.Out.WriteLine($"  {"delivery",-12}{report.Delivery}{(report.DeliveryDetail is null ? "" : $" ({report.DeliveryDetail})")}");
        }
    }
}
