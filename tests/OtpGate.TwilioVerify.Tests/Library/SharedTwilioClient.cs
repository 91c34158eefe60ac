namespace OtpGate.TwilioVerify.Tests.Library;

/// <summary>
/// Twilio's <c>TwilioClient</c> is one static client per process, as applications use it: the tests that set it run
/// one at a time, never beside each other.
/// </summary>
[CollectionDefinition(nameof(SharedTwilioClient), DisableParallelization = true)]
public sealed class SharedTwilioClient;
