using OtpGate.Verification.Phones;

namespace OtpGate.Verification.Channels;

/// <summary>
/// One code to send, as the engine hands it to a channel: the number, the code, the verification's locale, how long the
/// network may hold the message, the template the service names for the locale (null: the channel's own choice), and
/// the same code written out as plain text for channels that send text (SMS), so a text channel holds no wording of
/// its own. A template channel ignores <see cref="Text"/>; a text channel ignores <see cref="Template"/>.
/// </summary>
/// <param name="Phone">The recipient, parsed once at the start.</param>
/// <param name="Code">The code; never logged.</param>
/// <param name="Locale">The verification's locale (<c>en</c>, <c>pt_BR</c>).</param>
/// <param name="TimeToLive">How long the network may keep trying to deliver it.</param>
/// <param name="Template">The template the verification's service names for the locale, or null.</param>
/// <param name="Text">The message as text, with the code in it (<see cref="CodeText"/>).</param>
public sealed record CodeMessage(PhoneNumber Phone, string Code, string Locale, TimeSpan TimeToLive, NamedTemplate? Template, string Text);
