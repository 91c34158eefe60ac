namespace OtpGate.Sandbox;

/// <summary>What a host of the sandbox alone prints once it listens: where the API and the inbox are (the host and <c>otpgate sandbox</c> alike).</summary>
public static class SandboxBanner
{
    /// <summary>
    /// Two lines per address the host listens on (the token is shown only while it is the well-known default), then
    /// where the messages are kept, so a restart that empties the inbox is never a surprise.
    /// </summary>
    public static IEnumerable<string> Lines(SandboxOptions options, IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(urls);
        var token = options.Token == SandboxOptions.DefaultToken ? options.Token : "as configured";
        foreach (var url in urls)
        {
            var root = url.TrimEnd('/');
            yield return $"1MSG sandbox API: {root}/{options.ChannelId}/ (token \"{token}\")";
            yield return $"Inbox:            {root}/inbox";
        }

        yield return options.DataFolder is { Length: > 0 } folder
            ? $"Messages kept in: {Path.GetFullPath(Path.Combine(folder, Messages.MessageJournal.FileName))} (the last {options.MaxStoredMessages})"
            : "Messages:         in memory only; a restart empties the inbox (set Sandbox:DataFolder to keep them)";
    }
}
