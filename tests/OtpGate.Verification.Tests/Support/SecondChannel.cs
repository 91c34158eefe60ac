using OtpGate.Verification.Channels;
using OtpGate.Verification.Phones;

namespace OtpGate.Verification.Tests.Support;

/// <summary>
/// Another channel beside 1MSG's, as a later one (SMS) would be: it answers every send with the outcome it is given and
/// keeps what it was asked to send. It shows what the lifecycle does with each outcome of the port, whoever the channel is.
/// </summary>
public sealed class SecondChannel(string name, Func<int, CodeSendOutcome> answer) : ICodeChannel
{
    private readonly List<(PhoneNumber Phone, string Code, string Locale, TimeSpan TimeToLive, string Text)> _sent = [];

    public string Name => name;

    public IReadOnlyList<(PhoneNumber Phone, string Code, string Locale, TimeSpan TimeToLive, string Text)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public Task<CodeSendOutcome> SendCodeAsync(CodeMessage message, CancellationToken cancellationToken)
    {
        int count;
        lock (_sent)
        {
            _sent.Add((message.Phone, message.Code, message.Locale, message.TimeToLive, message.Text));
            count = _sent.Count;
        }

        return Task.FromResult(answer(count));
    }
}
