namespace OtpGate.OneMsg.Channel;

/// <summary>The channel's WhatsApp Business profile (<c>GET me</c>, 1MSG's <c>ProfileInfo</c>). A field 1MSG did not send is null.</summary>
/// <param name="About">The profile's About text.</param>
/// <param name="Address">The business's address.</param>
/// <param name="Description">The business's description.</param>
/// <param name="Email">The business's email.</param>
/// <param name="Phone">The channel's linked phone number (digits).</param>
/// <param name="Vertical">The business's industry, in Meta's words (for example <c>Other</c>).</param>
/// <param name="Photo">The profile photo's URL.</param>
/// <param name="Websites">The business's websites; empty when none.</param>
public sealed record ChannelProfile(
    string? About,
    string? Address,
    string? Description,
    string? Email,
    string? Phone,
    string? Vertical,
    string? Photo,
    IReadOnlyList<string> Websites);
