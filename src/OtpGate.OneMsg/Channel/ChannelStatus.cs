namespace OtpGate.OneMsg.Channel;

/// <summary>The channel's connection state (<c>GET status</c>).</summary>
/// <param name="Status">Lower case: <c>connected</c>, <c>connecting</c>, <c>disconnected</c>, <c>uninitialized</c>, <c>unregistered</c>, or another word 1MSG sends; <c>unknown</c> when missing.</param>
/// <param name="AccountStatus">The account status, when 1MSG reports one.</param>
public sealed record ChannelStatus(string Status, string? AccountStatus)
{
    /// <summary>True when the channel can send: 1MSG says "connected/connecting = everything is ok".</summary>
    public bool IsOk => Status is "connected" or "connecting";

    /// <summary>Whether the channel can send marketing templates through Meta's Marketing Messages Lite (<c>mm_lite_available</c>); null when 1MSG did not say.</summary>
    public bool? MmLiteAvailable { get; init; }
}
