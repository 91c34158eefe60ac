namespace OtpGate.Verification.Channels;

/// <summary>
/// The channels registered with the engine, by name. A new verification uses <see cref="Default"/> (the first
/// registered); a send goes out through the channel its verification recorded.
/// </summary>
public sealed class CodeChannels
{
    private readonly Dictionary<string, ICodeChannel> _byName = new(StringComparer.Ordinal);

    public CodeChannels(IEnumerable<ICodeChannel> channels)
    {
        foreach (var channel in channels)
        {
            Default ??= channel;
            _byName.TryAdd(channel.Name, channel);
        }

        if (Default is null)
        {
            throw new InvalidOperationException("No channel is registered to send codes through; register one, e.g. with AddOneMsgChannel.");
        }
    }

    /// <summary>The SMS channel's name (issue 18's contract): the channel a fallback goes to.</summary>
    public const string SmsName = "sms";

    public ICodeChannel Default { get; }

    /// <summary>Whether an SMS channel is registered (SMS is configured).</summary>
    public bool HasSms => _byName.ContainsKey(SmsName);

    /// <summary>The channel of that name; null when none is registered under it (a row written by another configuration).</summary>
    public ICodeChannel? Find(string name) => _byName.GetValueOrDefault(name);
}
